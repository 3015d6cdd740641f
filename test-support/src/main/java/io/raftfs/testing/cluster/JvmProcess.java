package io.raftfs.testing.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One process of a test cluster in a JVM of its own, started from this JVM's classpath, so a test
 * can kill it for real ({@link #kill}: SIGKILL, no shutdown hook runs). Its output is appended to
 * one log file across restarts.
 */
final class JvmProcess {
  private static final long STOP_SECONDS = 20;

  private final String mainClass;
  private final Path config;
  private final Path log;
  private final List<String> jvmFlags;
  private Process process;

  JvmProcess(String mainClass, Path config, Path log, List<String> jvmFlags) {
    this.mainClass = mainClass;
    this.config = config;
    this.log = log;
    this.jvmFlags = List.copyOf(jvmFlags);
  }

  synchronized void start() {
    if (running()) {
      throw new IllegalStateException(mainClass + " with " + config + " is running");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(List.of("--config", config.toString()));
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  synchronized boolean running() {
    return process != null && process.isAlive();
  }

  /** SIGKILL, and waits until the process is gone. */
  synchronized void kill() {
    if (process != null) {
      process.destroyForcibly();
      awaitExit();
    }
  }

  /** SIGTERM (shutdown hooks run); SIGKILL if it does not exit in time. */
  synchronized void stop() {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!awaitExit()) {
        kill();
      }
    }
  }

  private boolean awaitExit() {
    try {
      return process.waitFor(STOP_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
