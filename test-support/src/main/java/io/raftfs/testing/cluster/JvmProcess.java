package io.raftfs.testing.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One process of a test cluster in a JVM of its own, started from this JVM's classpath, so a test
 * can kill it for real ({@link #kill}: SIGKILL, no shutdown hook runs) or freeze it ({@link
 * #pause}: SIGSTOP). Its output is appended to one log file across restarts. When this JVM exits
 * (its tests ended, or a timeout abandoned them), a shutdown hook SIGKILLs every JVM it started
 * that still runs, paused or not, so none outlives the test run.
 *
 * <pre>{@code
 * JvmProcess master =
 *     new JvmProcess(List.of(), "io.raftfs.meta.server.MasterMain", conf, log, List.of("-Xmx256m"));
 * master.start();
 * master.pause();  // SIGSTOP: alive, silent
 * master.resume(); // SIGCONT
 * master.kill();   // SIGKILL, then waits until it is gone
 * }</pre>
 */
public final class JvmProcess {
  private static final long STOP_SECONDS = 20;

  /** Every process started here that may still run: the shutdown hook kills them. */
  private static final Set<Process> STARTED = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> STARTED.forEach(Process::destroyForcibly), "jvm-process-reaper"));
  }

  private final List<String> commandPrefix;
  private final String mainClass;
  private final Path config;
  private final Path log;
  private final List<String> jvmFlags;
  private volatile Process process;
  private volatile boolean paused;

  /**
   * @param commandPrefix words run before {@code java}, e.g. {@code ip netns exec NAME} (which
   *     execs, so the JVM keeps the pid this class signals)
   * @param mainClass started with {@code --config config}
   */
  public JvmProcess(
      List<String> commandPrefix, String mainClass, Path config, Path log, List<String> jvmFlags) {
    this.commandPrefix = List.copyOf(commandPrefix);
    this.mainClass = mainClass;
    this.config = config;
    this.log = log;
    this.jvmFlags = List.copyOf(jvmFlags);
  }

  /** Starts the JVM; one that is still running is left alone. */
  public synchronized void start() {
    if (running()) {
      return;
    }
    List<String> command = new ArrayList<>(commandPrefix);
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
      STARTED.removeIf(started -> !started.isAlive());
      STARTED.add(process);
      paused = false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public boolean running() {
    Process current = process;
    return current != null && current.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /** SIGKILL (a paused JVM is resumed first), and waits until the process is gone. */
  public synchronized void kill() {
    Process current = process;
    if (current == null) {
      return;
    }
    if (paused) {
      signal("CONT");
    }
    current.destroyForcibly();
    awaitExit(current);
    paused = false;
  }

  /** SIGTERM (shutdown hooks run); SIGKILL if it does not exit in time. */
  public synchronized void stop() {
    Process current = process;
    if (current != null && current.isAlive()) {
      resume();
      current.destroy();
      if (!awaitExit(current)) {
        kill();
      }
    }
  }

  /** SIGSTOP: the JVM stays alive but does nothing until {@link #resume}. */
  public synchronized void pause() {
    if (running()) {
      paused = true; // before the signal: whatever happens, resume() sends SIGCONT
      signal("STOP");
    }
  }

  /** SIGCONT if this class paused it. */
  public synchronized void resume() {
    if (paused && running()) {
      signal("CONT");
    }
    paused = false;
  }

  /** SIGCONT whatever this class believes: nothing stays stopped. */
  public synchronized void resumeForSure() {
    if (running()) {
      signal("CONT");
    }
    paused = false;
  }

  @Override
  public String toString() {
    return mainClass + " --config " + config;
  }

  private void signal(String signal) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).start();
      kill.waitFor(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean awaitExit(Process process) {
    try {
      return process.waitFor(STOP_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
