package io.raftfs.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.testing.cluster.MiniRaftfsCluster;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code raftfs put -R} and {@code get -R} against three real masters and three data nodes: a tree
 * with odd names, an empty directory and an empty file goes in and comes back byte-identical; a
 * file that fails is reported with its exit status while the others are moved.
 */
class TreeTransferCommandsTest {
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
    return CliRun.run(env, local, new byte[0], args);
  }

  /** A tree of 40 files in nested directories, names with spaces, '+', '%' and non-ASCII. */
  private Path sampleTree(String name) throws IOException {
    Path root = local.resolve(name);
    Random random = new Random(name.hashCode());
    for (int i = 0; i < 40; i++) {
      Path dir = root.resolve("d " + (i % 4)).resolve(i % 3 == 0 ? "deeper+ü" : "x%41");
      Files.createDirectories(dir);
      byte[] bytes = new byte[i == 0 ? 0 : random.nextInt(200_000)];
      random.nextBytes(bytes);
      Files.write(dir.resolve("file " + i + ".bin"), bytes);
    }
    Files.createDirectories(root.resolve("empty dir"));
    return root;
  }

  /** Every file and directory below {@code root}, relative, with its bytes (null: directory). */
  private static Map<String, byte[]> contents(Path root) throws IOException {
    Map<String, byte[]> contents = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        String name = root.relativize(path).toString();
        contents.put(name, Files.isDirectory(path) ? null : Files.readAllBytes(path));
      }
    }
    return contents;
  }

  private static void assertSameTree(Path expected, Path actual) throws IOException {
    Map<String, byte[]> want = contents(expected);
    Map<String, byte[]> got = contents(actual);
    assertEquals(want.keySet(), got.keySet());
    for (Map.Entry<String, byte[]> entry : want.entrySet()) {
      if (entry.getValue() != null) {
        assertArrayEquals(entry.getValue(), got.get(entry.getKey()), entry.getKey());
      }
    }
  }

  @Test
  void aTreeGoesInAndComesBackByteIdentical() throws IOException {
    Path tree = sampleTree("photos");
    CliRun put = raftfs("put", "-R", "--json", "--parallel", "8", tree.toString(), "/trees/a");
    assertEquals(0, put.exit(), put::toString);
    assertEquals("", put.stderr());
    JsonObject summary = new JsonObject(put.out());
    assertEquals(40, summary.getInteger("files"));
    assertEquals(40, summary.getInteger("moved"));
    assertEquals(0, summary.getInteger("failed"));

    CliRun emptyDir = raftfs("stat", "/trees/a/empty dir");
    assertEquals(0, emptyDir.exit(), emptyDir::toString);

    Path back = local.resolve("back");
    CliRun get = raftfs("get", "-R", "--json", "/trees/a", back.toString());
    assertEquals(0, get.exit(), get::toString);
    assertEquals(40, new JsonObject(get.out()).getInteger("moved"));
    assertSameTree(tree, back);

    // Into existing directories, both ways, the tree keeps its name.
    CliRun mkdir = raftfs("mkdir", "/trees/under");
    assertEquals(0, mkdir.exit(), mkdir::toString);
    CliRun into = raftfs("put", "-R", tree.toString(), "/trees/under");
    assertEquals(0, into.exit(), into::toString);
    Path downloads = Files.createDirectories(local.resolve("downloads"));
    CliRun intoLocal = raftfs("get", "-R", "/trees/under/photos", downloads.toString());
    assertEquals(0, intoLocal.exit(), intoLocal::toString);
    assertSameTree(tree, downloads.resolve("photos"));
  }

  @Test
  void aFileThatFailsIsReportedAndTheOthersAreMoved() throws IOException {
    Path tree = sampleTree("mixed");
    CliRun mkdir = raftfs("mkdir", "-p", "/trees/m/mixed/d 1/x%41");
    assertEquals(0, mkdir.exit(), mkdir::toString);
    CliRun taken =
        raftfs(
            "put",
            tree.resolve("d 0/deeper+ü/file 0.bin").toString(),
            "/trees/m/mixed/d 1/x%41/file 1.bin");
    assertEquals(0, taken.exit(), taken::toString);

    // /trees/m exists: the tree goes in as /trees/m/mixed, where one file is in the way.
    CliRun put = raftfs("put", "-R", "--json", tree.toString(), "/trees/m");
    assertEquals(4, put.exit(), put::toString);
    JsonObject summary = new JsonObject(put.out());
    assertEquals(1, summary.getInteger("failed"));
    assertEquals(39, summary.getInteger("moved"));
    JsonObject failure = summary.getJsonArray("failures").getJsonObject(0);
    assertEquals("d 1/x%41/file 1.bin", failure.getString("path"));
    assertEquals(4, failure.getInteger("exit"));
    assertTrue(put.stderr().startsWith("raftfs: put d 1/x%41/file 1.bin: "), put::toString);
    assertTrue(
        put.stderr().endsWith("raftfs: 1 of 40 files failed; the others were moved\n"),
        put::toString);
    CliRun other = raftfs("stat", "/trees/m/mixed/d 2/x%41/file 2.bin");
    assertEquals(0, other.exit(), other::toString);

    // -f replaces it; then a download where a local file is in the way fails only that file.
    CliRun forced = raftfs("put", "-R", "-f", tree.toString(), "/trees/m");
    assertEquals(0, forced.exit(), forced::toString);
    Path back = local.resolve("back");
    Files.createDirectories(back.resolve("mixed/d 3/x%41"));
    Files.writeString(back.resolve("mixed/d 3/x%41/file 7.bin"), "mine");
    CliRun get = raftfs("get", "-R", "/trees/m/mixed", back.toString());
    assertEquals(4, get.exit(), get::toString);
    assertEquals("mine", Files.readString(back.resolve("mixed/d 3/x%41/file 7.bin")));
    Files.delete(back.resolve("mixed/d 3/x%41/file 7.bin"));
    Files.copy(tree.resolve("d 3/x%41/file 7.bin"), back.resolve("mixed/d 3/x%41/file 7.bin"));
    assertSameTree(tree, back.resolve("mixed"));
  }

  @Test
  void treeOptionsWithoutRecursiveAreUsageErrors() {
    CliRun json = raftfs("put", "--json", "a", "/b");
    assertEquals(2, json.exit(), json::toString);
    assertEquals("raftfs: put: --parallel and --json go with -R\n", json.stderr());
    CliRun parallel = raftfs("get", "-R", "--parallel", "0", "/a", "b");
    assertEquals(2, parallel.exit(), parallel::toString);
    assertTrue(
        parallel.stderr().startsWith("raftfs: get: --parallel 0: must be 1 to 256"),
        parallel::toString);
    CliRun stdout = raftfs("get", "-R", "/a", "-");
    assertEquals(2, stdout.exit(), stdout::toString);
    CliRun directory = raftfs("put", local.toString(), "/b");
    assertEquals(2, directory.exit(), directory::toString);
    assertFalse(directory.stderr().isEmpty());
  }
}
