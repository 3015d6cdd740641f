package io.raftfs.testing.cluster;

import io.raftfs.testing.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JvmProcessTest {
  private static final Pattern CHILD_PID = Pattern.compile("child pid (\\d+)");

  /** Runs two minutes unless killed. */
  public static final class Sleeper {
    public static void main(String[] args) throws InterruptedException {
      Thread.sleep(Duration.ofMinutes(2).toMillis());
    }
  }

  /** Starts a {@link Sleeper} with {@link JvmProcess}, prints its pid and exits at once. */
  public static final class Parent {
    public static void main(String[] args) {
      Path config = Path.of(args[1]); // --config <path>
      JvmProcess child =
          new JvmProcess(
              List.of(),
              Sleeper.class.getName(),
              config,
              config.resolveSibling("sleeper.log"),
              List.of("-Xmx32m"));
      child.start();
      System.out.println("child pid " + child.pid());
      System.exit(0);
    }
  }

  @Test
  void theJvmsItStartedDieWhenTheirStarterExits(@TempDir Path dir) throws IOException {
    Path config = Files.writeString(dir.resolve("parent.conf"), "");
    Path log = dir.resolve("parent.log");
    JvmProcess parent =
        new JvmProcess(List.of(), Parent.class.getName(), config, log, List.of("-Xmx64m"));
    parent.start();
    long pid = Await.value(Duration.ofSeconds(60), "a child pid in " + log, () -> childPid(log));
    Optional<ProcessHandle> child = ProcessHandle.of(pid);
    try {
      Await.until(Duration.ofSeconds(60), "the parent JVM to exit", () -> !parent.running());
      Await.until(
          Duration.ofSeconds(10),
          "the child JVM " + pid + " to be gone",
          () -> child.map(handle -> !handle.isAlive()).orElse(true));
    } finally {
      child.ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  private static Long childPid(Path log) {
    try {
      Matcher matcher = CHILD_PID.matcher(Files.readString(log));
      return matcher.find() ? Long.parseLong(matcher.group(1)) : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
