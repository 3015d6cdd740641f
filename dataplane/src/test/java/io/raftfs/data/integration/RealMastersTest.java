package io.raftfs.data.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.client.meta.MetaClient;
import io.raftfs.data.DataNode;
import io.raftfs.data.testing.BlockClient;
import io.raftfs.data.testing.BlockPattern;
import io.raftfs.data.testing.DataNodeFixture;
import io.raftfs.meta.testing.MiniMetaCluster;
import io.raftfs.proto.DataNodeStatus;
import io.raftfs.testing.Await;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data nodes against three real masters: registration through MetaClient and heartbeats. */
class RealMastersTest {
  @TempDir Path dir;

  @Test
  void dataNodesRegisterAndShowUpAliveWithTheirBlocks() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (MiniMetaCluster masters = MiniMetaCluster.start(dir.resolve("masters"));
        DataNodeFixture nodes =
            DataNodeFixture.start(
                vertx,
                dir.resolve("nodes"),
                2,
                b -> b.masters(masters.httpAddresses()).heartbeatInterval(Duration.ofMillis(200)));
        BlockClient client = new BlockClient(vertx);
        MetaClient meta = masters.newClient()) {
      masters.awaitLeader();
      DataNode node = nodes.node(0);
      client
          .put(node.httpAddress(), 1, new BlockPattern(1, 5000), List.of())
          .await(10, TimeUnit.SECONDS);

      Await.until(
          Duration.ofSeconds(30),
          "both nodes alive in the cluster status, node 0 with its block",
          () -> {
            List<DataNodeStatus> live = meta.clusterStatus().getDataNodesList();
            return live.stream().filter(DataNodeStatus::getAlive).count() == 2
                && status(live, node.nodeId()).map(s -> s.getBlockCount() == 1).orElse(false);
          });
      DataNodeStatus status =
          status(meta.clusterStatus().getDataNodesList(), node.nodeId()).orElseThrow();
      assertEquals(node.httpAddress(), status.getHttpAddress());
      assertEquals(5000, status.getUsedBytes());
      assertTrue(status.getCapacityBytes() > 0);
    } finally {
      vertx.close().await();
    }
  }

  private static Optional<DataNodeStatus> status(List<DataNodeStatus> nodes, String nodeId) {
    return nodes.stream().filter(s -> s.getNodeId().equals(nodeId)).findFirst();
  }
}
