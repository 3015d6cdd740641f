package io.raftfs.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.client.TestFiles;
import io.raftfs.client.meta.ClusterStatusJson;
import io.raftfs.proto.ClusterStatus;
import io.raftfs.testing.cluster.MiniRaftfsCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The raftfs command against three real masters and three data nodes: results on stdout, errors as
 * one line on stderr with the documented exit code. Each test works in its own directory.
 */
class CommandsOnClusterTest {
  @TempDir static Path clusterDir;
  @TempDir Path local;

  private static MiniRaftfsCluster cluster;
  private static Map<String, String> env;

  @BeforeAll
  static void startCluster() {
    cluster = MiniRaftfsCluster.builder().dataNodes(3).build().start(clusterDir);
    env = cluster.cliEnvironment();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private CliRun raftfs(String... args) {
    return raftfs(new byte[0], args);
  }

  private CliRun raftfs(byte[] stdin, String... args) {
    return CliRun.run(env, local, stdin, args);
  }

  private static void assertOk(CliRun run) {
    assertEquals(0, run.exit(), run::toString);
    assertEquals("", run.stderr(), run::toString);
  }

  private static void assertFails(int exit, String stderr, CliRun run) {
    assertEquals(exit, run.exit(), run::toString);
    assertEquals("raftfs: " + stderr + "\n", run.stderr(), run::toString);
  }

  @Test
  void putGetAndCatRoundTripThroughFilesStdinAndStdout() throws IOException {
    Path original = TestFiles.random(local.resolve("data.bin"), 3_000_000, 1);
    assertOk(raftfs("mkdir", "/rt"));
    assertOk(raftfs("put", "--block-size", "1m", original.toString(), "/rt"));
    assertOk(raftfs("put", "-r", "2", "-", "/rt/from-stdin", "--block-size", "1m"));

    assertOk(raftfs("get", "/rt/data.bin", local.resolve("copy").toString()));
    assertEquals(TestFiles.sha256(original), TestFiles.sha256(local.resolve("copy")));
    CliRun cat = raftfs("cat", "/rt/data.bin");
    assertOk(cat);
    assertEquals(TestFiles.sha256(original), TestFiles.sha256(cat.stdout()));

    byte[] text = "hello, raftfs\n".getBytes();
    assertOk(raftfs(text, "put", "-f", "-", "/rt/from-stdin"));
    CliRun stdout = raftfs("get", "/rt/from-stdin", "-");
    assertOk(stdout);
    assertArrayEquals(text, stdout.stdout());
  }

  @Test
  void lsListsByFullPathLongRecursiveAndAsJson() throws IOException {
    assertOk(raftfs("mkdir", "-p", "/ls/sub/deeper"));
    Path file = Files.writeString(local.resolve("f.txt"), "12345");
    assertOk(raftfs("put", file.toString(), "/ls/f.txt"));

    assertEquals("/ls/f.txt\n/ls/sub\n", raftfs("ls", "/ls").out());
    assertEquals("/ls/f.txt\n/ls/sub\n/ls/sub/deeper\n", raftfs("ls", "-R", "/ls").out());
    String[] longLines = raftfs("ls", "-l", "/ls").out().split("\n");
    assertTrue(
        longLines[0].matches(
            "-rw-r--r--  root  supergroup  3  5  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d  /ls/f.txt"),
        longLines[0]);
    assertTrue(
        longLines[1].matches("drwxr-xr-x  root  supergroup  -  -  .*  /ls/sub"), longLines[1]);

    JsonArray json = new JsonArray(raftfs("ls", "--json", "/ls").out());
    assertEquals(2, json.size());
    JsonObject f = json.getJsonObject(0);
    assertEquals("/ls/f.txt", f.getString("path"));
    assertEquals("file", f.getString("type"));
    assertEquals(5, f.getLong("length"));
    assertEquals(3, f.getInteger("replication"));
    assertEquals("directory", json.getJsonObject(1).getString("type"));
  }

  @Test
  void statShowsSizeReplicationAndBlocks() throws IOException {
    Path file = TestFiles.random(local.resolve("s"), 2_500_000, 2);
    assertOk(raftfs("put", "-r", "2", "--block-size", "1m", file.toString(), "/stat-me"));

    CliRun text = raftfs("stat", "/stat-me");
    assertOk(text);
    assertTrue(text.out().contains("Size:         2500000 (2.4 MiB)"), text::toString);
    assertTrue(text.out().contains("Replication:  2"), text::toString);
    assertTrue(text.out().contains("Blocks:       3"), text::toString);

    JsonObject json = new JsonObject(raftfs("stat", "--json", "/stat-me").out());
    assertEquals(2_500_000, json.getLong("length"));
    assertEquals(1 << 20, json.getLong("blockSize"));
    assertEquals(3, json.getInteger("blocks"));
  }

  @Test
  void mvRenamesAndMovesIntoDirectoriesAndRmDeletes() throws IOException {
    Path file = Files.writeString(local.resolve("m"), "move me");
    assertOk(raftfs("mkdir", "-p", "/mv/into"));
    assertOk(raftfs("put", file.toString(), "/mv/a"));

    assertOk(raftfs("mv", "/mv/a", "/mv/b"));
    assertOk(raftfs("mv", "/mv/b", "/mv/into"));
    assertEquals("/mv/into/b\n", raftfs("ls", "/mv/into").out());
    assertEquals("move me", raftfs("cat", "/mv/into/b").out());

    assertFails(7, "/mv: Directory not empty", raftfs("rm", "/mv"));
    assertOk(raftfs("rm", "/mv/into/b"));
    assertOk(raftfs("rm", "-r", "/mv"));
    assertFails(3, "/mv: No such file or directory", raftfs("stat", "/mv"));
  }

  @Test
  void duSumsEachEntryAndTheWholeWithReplicas() throws IOException {
    Path file = Files.writeString(local.resolve("d"), "x".repeat(1000));
    assertOk(raftfs("mkdir", "-p", "/du/a", "/du/b"));
    assertOk(raftfs("put", file.toString(), "/du/a/one"));
    assertOk(raftfs("put", "-r", "1", file.toString(), "/du/b/two"));

    assertEquals("1000  3000  /du/a\n1000  1000  /du/b\n", raftfs("du", "/du").out());
    assertEquals("2000  4000  /du\n", raftfs("du", "-s", "/du").out());
    JsonObject total = new JsonArray(raftfs("du", "-s", "--json", "/du").out()).getJsonObject(0);
    assertEquals(2, total.getLong("files"));
    assertEquals(3, total.getLong("directories"));
  }

  @Test
  void clusterStatusShowsTheLeaderAndEveryDataNode() {
    CliRun text = raftfs("cluster", "status");
    assertOk(text);
    assertTrue(text.out().contains("LEADER"), text::toString);
    assertEquals(
        3, text.out().lines().filter(line -> line.contains(" yes ")).count(), text::toString);

    JsonObject json = new JsonObject(raftfs("cluster", "status", "--json").out());
    assertFalse(json.getString("leaderId").isEmpty());
    assertEquals(3, json.getJsonArray("masters").size());
    assertEquals(3, json.getJsonArray("dataNodes").size());
    // The shape of a master's GET /api/cluster: protobuf JSON with every field.
    assertEquals(
        new JsonObject(ClusterStatusJson.print(ClusterStatus.getDefaultInstance())).fieldNames(),
        json.fieldNames());
  }

  @Test
  void eachErrorKindHasItsMessageAndExitCode() throws IOException {
    Path file = Files.writeString(local.resolve("e"), "e");
    assertOk(raftfs("mkdir", "/err"));
    assertOk(raftfs("put", file.toString(), "/err/file"));

    assertFails(3, "/err/nope: No such file or directory", raftfs("get", "/err/nope", "-"));
    assertFails(3, "/err/nope: No such file or directory", raftfs("ls", "/err/nope"));
    assertFails(4, "/err/file: File exists", raftfs("put", file.toString(), "/err/file"));
    assertFails(4, "/err: File exists", raftfs("mkdir", "/err"));
    assertFails(5, "/err/file: Not a directory", raftfs("mkdir", "/err/file/sub"));
    assertFails(6, "/err: Is a directory", raftfs("cat", "/err"));
    Path existing = Files.writeString(local.resolve("existing"), "mine");
    assertFails(
        4,
        existing + ": File exists (use -f to overwrite)",
        raftfs("get", "/err/file", existing.toString()));
    assertEquals("mine", Files.readString(existing));
    assertEquals(8, raftfs("mv", "/err", "/err/inside").exit());
    assertEquals(9, raftfs("put", "-r", "5", file.toString(), "/err/five").exit());
  }
}
