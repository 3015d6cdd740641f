package io.raftfs.data.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.client.meta.MetaClient;
import io.raftfs.data.DataNode;
import io.raftfs.data.testing.BlockClient;
import io.raftfs.data.testing.BlockPattern;
import io.raftfs.data.testing.DataNodeFixture;
import io.raftfs.proto.DataNodeStatus;
import io.raftfs.proto.LocatedBlock;
import io.raftfs.testing.Await;
import io.raftfs.testing.cluster.MiniRaftfsCluster;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Data nodes against three real masters: registration through MetaClient and heartbeats. */
class RealMastersTest {
  @RegisterExtension
  // The test's BlockClient speaks plaintext HTTP; TlsClusterTest covers the same over TLS.
  final MiniRaftfsCluster cluster = MiniRaftfsCluster.builder().dataNodes(2).tls(false).build();

  @Test
  void dataNodesRegisterAndShowUpAliveWithTheirBlocks() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (BlockClient client = new BlockClient(vertx);
        MetaClient meta = cluster.newMetaClient()) {
      DataNodeFixture nodes = cluster.dataNodes();
      DataNode node = nodes.node(0);
      // A placement on node 0 alone, with its token; until the node learned the block key from
      // a heartbeat answer it refuses the token.
      Await.until(
          Duration.ofSeconds(30),
          "a block stored on node 0 with a placement's token",
          () -> {
            LocatedBlock placed =
                meta.allocateBlocks("", 1, 1, 5000, Set.of(nodes.node(1).nodeId()), false).get(0);
            client.useToken(placed.getToken());
            long id = placed.getBlock().getBlockId();
            return client
                    .put(node.httpAddress(), id, new BlockPattern(id, 5000), List.of())
                    .await()
                    .status()
                == 201;
          });

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
