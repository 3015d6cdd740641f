package io.raftfs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.client.TestFiles;
import io.raftfs.meta.config.MasterConfigKeys;
import io.raftfs.testing.Await;
import io.raftfs.testing.cluster.MiniRaftfsCluster;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code raftfs fsck} and {@code raftfs admin decommission} against three real masters and three
 * data nodes. The last test drains a node of a cluster that has no spare node, so the files stay
 * under-replicated: fsck must say so with exit 12, until {@code raftfs admin recommission} returns
 * the node to service.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FsckAndDecommissionCommandsTest {
  @TempDir static Path clusterDir;
  @TempDir Path local;

  private static MiniRaftfsCluster cluster;
  private static Map<String, String> env;

  @BeforeAll
  static void startCluster() {
    Properties masters = new Properties();
    masters.setProperty(MasterConfigKeys.REPAIR_SCAN_INTERVAL_MS_KEY, "200");
    masters.setProperty(MasterConfigKeys.DATANODE_DEAD_TIMEOUT_MS_KEY, "2000");
    // 64 KiB blocks: a few hundred KB make several blocks.
    masters.setProperty(MasterConfigKeys.BLOCK_SIZE_MIN_KEY, "64k");
    cluster =
        MiniRaftfsCluster.builder().dataNodes(3).masterSettings(masters).build().start(clusterDir);
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

  @Test
  @Order(1)
  void fsckOfAFullyReplicatedTreeExitsZeroInTextAndJson() throws Exception {
    Path data = TestFiles.random(local.resolve("data"), 300_000, 1);
    assertEquals(0, raftfs("mkdir", "/h").exit());
    assertEquals(0, raftfs("put", "--block-size", "64k", data.toString(), "/h/data").exit());

    CliRun text = raftfs("fsck", "/h");
    assertEquals(0, text.exit(), text::toString);
    assertTrue(text.out().startsWith("/h: HEALTHY\n"), text::toString);
    assertTrue(text.out().contains("Files: 1  Blocks: 5  Healthy: 5"), text::toString);

    CliRun json = raftfs("fsck", "--json");
    assertEquals(0, json.exit(), json::toString);
    JsonObject report = new JsonObject(json.out());
    assertEquals(true, report.getBoolean("healthy"));
    assertEquals("/", report.getString("path"));
    assertEquals(5L, report.getLong("healthyBlocks"));
    assertTrue(report.getJsonArray("unhealthyFiles").isEmpty());
  }

  @Test
  @Order(2)
  void fsckOfAMissingPathAndDecommissionOfAnUnknownNodeExitThree() {
    CliRun fsck = raftfs("fsck", "/no/such");
    assertEquals(3, fsck.exit(), fsck::toString);
    CliRun decommission = raftfs("admin", "decommission", "dn-nobody");
    assertEquals(3, decommission.exit(), decommission::toString);
    assertEquals("raftfs: dn-nobody: no such data node\n", decommission.stderr());
  }

  @Test
  @Order(3)
  void aNodeThatCannotBeDrainedStaysDecommissioningAndFsckListsTheBlocksWithExitTwelve() {
    String nodeId = cluster.dataNodes().node(0).nodeId();

    CliRun decommission = raftfs("admin", "decommission", nodeId);
    assertEquals(0, decommission.exit(), decommission::toString);

    awaitStatusLine(
        "cluster status to show the blocks left to drain", nodeId + " +yes +DECOMMISSIONING +5 .*");

    CliRun fsck = raftfs("fsck", "/");
    assertEquals(12, fsck.exit(), fsck::toString);
    assertTrue(fsck.out().contains("/: UNHEALTHY"), fsck::toString);
    assertEquals(
        5,
        fsck.out()
            .lines()
            .filter(l -> l.matches("/h/data +\\d+ +UNDER_REPLICATED +2 +3 +0"))
            .count(),
        fsck::toString);
    JsonObject json = new JsonObject(raftfs("fsck", "--json").out());
    assertEquals(false, json.getBoolean("healthy"));
    assertEquals(5L, json.getLong("underReplicatedBlocks"));
    assertEquals("/h/data", json.getJsonArray("unhealthyFiles").getJsonObject(0).getString("path"));
  }

  @Test
  @Order(4)
  void recommissionReturnsTheDrainingNodeToServiceAndTheTreeIsHealthyAgain() {
    String nodeId = cluster.dataNodes().node(0).nodeId();

    CliRun recommission = raftfs("admin", "recommission", nodeId);
    assertEquals(0, recommission.exit(), recommission::toString);
    assertEquals(nodeId + ": in service\n", recommission.out());

    awaitStatusLine("cluster status to show the node in service", nodeId + " +yes +IN_SERVICE .*");
    CliRun fsck = raftfs("fsck", "/");
    assertEquals(0, fsck.exit(), fsck::toString);

    CliRun unknown = raftfs("admin", "recommission", "dn-nobody");
    assertEquals(3, unknown.exit(), unknown::toString);
    assertEquals("raftfs: dn-nobody: no such data node\n", unknown.stderr());
  }

  /** Runs {@code raftfs cluster status} until a line matches; fails with the last answer. */
  private void awaitStatusLine(String what, String regex) {
    AtomicReference<CliRun> status = new AtomicReference<>();
    try {
      Await.until(
          Duration.ofSeconds(30),
          what,
          () -> {
            status.set(raftfs("cluster", "status"));
            return status.get().out().lines().anyMatch(l -> l.matches(regex));
          });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; last answer:\n" + status.get(), e);
    }
    assertEquals(0, status.get().exit(), status.get()::toString);
  }
}
