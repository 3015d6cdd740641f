package io.raftfs.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs a JVM that sees two cores, as the CI machine has, and asks where async stages run. */
class CommonPoolTest {

  /** Prints the name of the thread a default-executor async stage runs on. */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("ensure")) {
      CommonPool.ensureShared();
    }
    System.out.println(CompletableFuture.supplyAsync(() -> Thread.currentThread().getName()).get());
  }

  @Test
  void asyncStagesRunOnTheSharedPoolOnTwoCores() throws Exception {
    assertTrue(asyncThreadName("ensure").startsWith("ForkJoinPool.commonPool-worker"));
  }

  @Test
  void withoutItTheJdkStartsAThreadPerStageOnTwoCores() throws Exception {
    // The premise of CommonPool: if a JDK changes this, the class is no longer needed.
    assertFalse(asyncThreadName("plain").startsWith("ForkJoinPool.commonPool-worker"));
  }

  private static String asyncThreadName(String mode) throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-XX:ActiveProcessorCount=2",
                    "-cp",
                    System.getProperty("java.class.path"),
                    CommonPoolTest.class.getName(),
                    mode))
            .redirectErrorStream(true)
            .start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child JVM did not exit");
    assertEquals(0, child.exitValue(), output);
    return output.strip();
  }
}
