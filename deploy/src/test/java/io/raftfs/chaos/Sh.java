package io.raftfs.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short command (kill, ip, tc) and returns its output; fails on a non-zero exit. */
final class Sh {
  private Sh() {}

  static String run(String... command) {
    String output = tryRun(command);
    if (output == null) {
      throw new IllegalStateException("failed: " + String.join(" ", command));
    }
    return output;
  }

  /** The command's output, or null when it failed. */
  static String tryRun(String... command) {
    try {
      Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      // Never give up on an interrupt: a signal that was sent must be known to be sent.
      boolean interrupted = false;
      while (true) {
        try {
          if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return null;
          }
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      return process.exitValue() == 0 ? output : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
