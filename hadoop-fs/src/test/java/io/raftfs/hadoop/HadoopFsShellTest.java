package io.raftfs.hadoop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FsShell;
import org.apache.hadoop.util.ToolRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hadoop fs} is Hadoop's {@link FsShell}: its commands on {@code raftfs://} URIs, with only
 * the jar on the classpath and the key in the configuration, as docs/hadoop.md shows.
 */
class HadoopFsShellTest {
  @TempDir Path local;

  @Test
  void mkdirPutLsCatGetAndChecksumWork() throws Exception {
    String root = SharedCluster.uri().toString();
    Path original = local.resolve("notes.txt");
    Files.writeString(original, "raft\nlog\nblock\n".repeat(1000));

    assertEquals(0, shell("-mkdir", "-p", root + "shell").exitCode());
    assertEquals(0, shell("-put", original.toString(), root + "shell/").exitCode());

    Result ls = shell("-ls", root + "shell");
    assertEquals(0, ls.exitCode());
    assertTrue(ls.out().contains("shell/notes.txt"), ls.out());
    assertTrue(ls.out().contains(Long.toString(Files.size(original))), ls.out());

    Result cat = shell("-cat", root + "shell/notes.txt");
    assertEquals(Files.readString(original), cat.out());

    Path copy = local.resolve("copy.txt");
    assertEquals(0, shell("-get", root + "shell/notes.txt", copy.toString()).exitCode());
    assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(copy));

    Result checksum = shell("-checksum", root + "shell/notes.txt");
    assertTrue(checksum.out().contains("COMPOSITE-CRC32C"), checksum.out());

    Result missing = shell("-cat", root + "shell/none");
    assertEquals(1, missing.exitCode());
  }

  private record Result(int exitCode, String out) {}

  /** Runs one {@code hadoop fs} command in this JVM, its standard output captured. */
  private static synchronized Result shell(String... args) throws Exception {
    Configuration conf = SharedCluster.withCredentials(new Configuration());
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      int exitCode = ToolRunner.run(new FsShell(conf), args);
      return new Result(exitCode, captured.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(stdout);
    }
  }
}
