package io.raftfs.data.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.raftfs.auth.BlockTokens;
import io.raftfs.data.DataNode;
import io.raftfs.data.testing.BlockClient;
import io.raftfs.data.testing.BlockPattern;
import io.raftfs.data.testing.DataNodeFixture;
import io.raftfs.data.testing.FakeMaster;
import io.raftfs.proto.BlockKey;
import io.raftfs.proto.BlockToken;
import io.raftfs.proto.CopyBlockCommand;
import io.raftfs.proto.DataNodeAddress;
import io.raftfs.proto.DataNodeCommand;
import io.raftfs.proto.DeleteBlocksCommand;
import io.raftfs.proto.Heartbeat;
import io.raftfs.proto.StoredBlock;
import io.raftfs.testing.Await;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data node's side of the control protocol, against two fake masters (master 0 plays the
 * leader): registration with the leader, heartbeats and block reports to every master, and the
 * leader's commands.
 */
class MasterProtocolTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;
  private Vertx vertx;
  private FakeMaster leader;
  private FakeMaster follower;
  private DataNodeFixture nodes;
  private BlockClient client;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    leader = FakeMaster.start(vertx, true);
    follower = FakeMaster.start(vertx, false);
    nodes =
        DataNodeFixture.start(
            vertx,
            dir,
            2,
            b ->
                b.masters(List.of(leader.address(), follower.address()))
                    .heartbeatInterval(Duration.ofMillis(20)));
    client = new BlockClient(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    nodes.close();
    leader.close();
    follower.close();
    vertx.close().await();
  }

  @Test
  void nodeRegistersAndHeartbeatsEveryMaster() {
    DataNode node = nodes.node(0);
    Await.until(
        WAIT,
        "node 0 registered",
        () -> leader.registrations().contains(node.nodeId() + "@" + node.httpAddress()));
    for (FakeMaster master : List.of(leader, follower)) {
      Await.until(
          WAIT,
          "heartbeats of node 0 reach " + master.address(),
          () -> master.heartbeats().stream().anyMatch(h -> h.getNodeId().equals(node.nodeId())));
      Heartbeat heartbeat =
          master.heartbeats().stream()
              .filter(h -> h.getNodeId().equals(node.nodeId()))
              .findFirst()
              .orElseThrow();
      assertEquals(node.httpAddress(), heartbeat.getHttpAddress());
      assertTrue(heartbeat.getCapacityBytes() > 0);
      assertTrue(heartbeat.getFreeBytes() > 0);
      Await.until(
          WAIT,
          "a full block report reaches " + master.address(),
          () ->
              master.reports().stream()
                  .anyMatch(r -> r.getFull() && r.getNodeId().equals(node.nodeId())));
    }
  }

  @Test
  void storedAndDeletedBlocksReachEveryMasterIncrementally() throws Exception {
    DataNode node = nodes.node(0);
    client
        .put(node.httpAddress(), 7, new BlockPattern(7, 1234), List.of())
        .await(10, TimeUnit.SECONDS);
    for (FakeMaster master : List.of(leader, follower)) {
      Await.until(
          WAIT,
          master.address() + " knows block 7",
          () -> master.blocksOf(node.nodeId()).contains(7L));
    }
    assertTrue(
        leader.reports().stream().anyMatch(r -> !r.getFull() && r.getAddedCount() > 0),
        "an incremental report carried the new block");

    client.delete(node.httpAddress(), 7).await(10, TimeUnit.SECONDS);
    for (FakeMaster master : List.of(leader, follower)) {
      Await.until(
          WAIT,
          master.address() + " forgets block 7",
          () -> !master.blocksOf(node.nodeId()).contains(7L));
    }
  }

  @Test
  void leaderDeleteCommandRemovesTheBlock() throws Exception {
    DataNode node = nodes.node(0);
    client
        .put(node.httpAddress(), 8, new BlockPattern(8, 100), List.of())
        .await(10, TimeUnit.SECONDS);
    Await.until(WAIT, "leader knows block 8", () -> leader.blocksOf(node.nodeId()).contains(8L));

    leader.command(
        node.nodeId(),
        DataNodeCommand.newBuilder()
            .setDeleteBlocks(DeleteBlocksCommand.newBuilder().addBlockIds(8))
            .build());

    Await.until(
        WAIT,
        "block 8 deleted and reported",
        () ->
            !leader.blocksOf(node.nodeId()).contains(8L)
                && !follower.blocksOf(node.nodeId()).contains(8L));
    assertEquals(404, client.head(node.httpAddress(), 8).await(10, TimeUnit.SECONDS).status());
  }

  @Test
  void followerCommandsAreIgnored() throws Exception {
    DataNode node = nodes.node(0);
    client
        .put(node.httpAddress(), 9, new BlockPattern(9, 100), List.of())
        .await(10, TimeUnit.SECONDS);
    follower.registered(true);
    follower.command(
        node.nodeId(),
        DataNodeCommand.newBuilder()
            .setDeleteBlocks(DeleteBlocksCommand.newBuilder().addBlockIds(9))
            .build());
    int seen = follower.heartbeats().size();
    Await.until(
        WAIT, "more heartbeats reach the follower", () -> follower.heartbeats().size() > seen + 5);

    assertEquals(200, client.head(node.httpAddress(), 9).await(10, TimeUnit.SECONDS).status());
  }

  @Test
  void leaderCopyCommandReplicatesTheBlockToTheTarget() throws Exception {
    DataNode source = nodes.node(0);
    DataNode target = nodes.node(1);
    BlockPattern pattern = new BlockPattern(10, 300_000);
    client.put(source.httpAddress(), 10, pattern, List.of()).await(10, TimeUnit.SECONDS);

    leader.command(
        source.nodeId(),
        DataNodeCommand.newBuilder()
            .setCopyBlock(
                CopyBlockCommand.newBuilder()
                    .setBlock(
                        StoredBlock.newBuilder()
                            .setBlockId(10)
                            .setLength(pattern.length())
                            .setCrc32C((int) pattern.crc32c()))
                    .setTarget(
                        DataNodeAddress.newBuilder()
                            .setNodeId(target.nodeId())
                            .setHttpAddress(target.httpAddress())))
            .build());

    Await.until(
        WAIT, "the target reports block 10", () -> leader.blocksOf(target.nodeId()).contains(10L));
    BlockClient.Download copy =
        client.get(target.httpAddress(), 10, pattern, null).await(10, TimeUnit.SECONDS);
    assertTrue(copy.matchesPattern());
    assertEquals(pattern.length(), copy.length());
  }

  @Test
  void masterThatForgotTheNodeTriggersRegistrationAndAFullReport() {
    DataNode node = nodes.node(0);
    String me = node.nodeId() + "@" + node.httpAddress();
    Await.until(WAIT, "first registration", () -> leader.registrations().contains(me));
    long before = leader.registrations().stream().filter(me::equals).count();
    int fullReports = (int) follower.reports().stream().filter(r -> r.getFull()).count();

    follower.registered(false);
    Await.until(
        WAIT,
        "registered again",
        () -> leader.registrations().stream().filter(me::equals).count() > before);
    follower.registered(true);

    Await.until(
        WAIT,
        "a new full report",
        () -> follower.reports().stream().filter(r -> r.getFull()).count() > fullReports);
  }

  @Test
  void fullReportsRepeatEveryBlockReportInterval() throws Exception {
    try (FakeMaster master = FakeMaster.start(vertx, true);
        DataNodeFixture node =
            DataNodeFixture.start(
                vertx,
                dir.resolve("periodic"),
                1,
                b ->
                    b.masters(List.of(master.address()))
                        .blockReportInterval(Duration.ofMillis(50)))) {
      String nodeId = node.node(0).nodeId();
      Await.until(
          WAIT,
          "three full reports",
          () ->
              master.reports().stream()
                      .filter(r -> r.getFull() && r.getNodeId().equals(nodeId))
                      .count()
                  >= 3);
    }
  }

  @Test
  void unreachableMasterDoesNotStopServingAndIsCaughtUpLater() throws Exception {
    DataNode node = nodes.node(0);
    String followerAddress = follower.address();
    follower.close();
    BlockPattern pattern = new BlockPattern(11, 1000);
    assertEquals(
        201,
        client
            .put(node.httpAddress(), 11, pattern, List.of())
            .await(10, TimeUnit.SECONDS)
            .status());
    assertTrue(
        client
            .get(node.httpAddress(), 11, pattern, null)
            .await(10, TimeUnit.SECONDS)
            .matchesPattern());

    int port = Integer.parseInt(followerAddress.substring(followerAddress.lastIndexOf(':') + 1));
    follower = FakeMaster.start(vertx, false, port);
    Await.until(
        WAIT,
        "the restarted master learns block 11",
        () -> follower.blocksOf(node.nodeId()).contains(11L));
  }

  @Test
  void registeredNodesAreLearnedOnceAndMakeAChainWork() throws Exception {
    DataNode first = nodes.node(0);
    DataNode second = nodes.node(1);
    Await.until(
        WAIT,
        "node 0 forwards to node 1, as the masters' heartbeat answers said",
        () -> first.forwardTargets().accepts(second.httpAddress()));

    BlockClient.Reply put =
        client
            .put(first.httpAddress(), 12, new BlockPattern(12, 5000), List.of(second.httpAddress()))
            .await(10, TimeUnit.SECONDS);

    assertEquals(201, put.status(), put.json().encode());
    // Both nodes heartbeat by now, so the set no longer changes: each heartbeat reports it held.
    int seen = follower.heartbeats().size();
    Await.until(
        WAIT, "more heartbeats reach the follower", () -> follower.heartbeats().size() > seen + 5);
    List<Heartbeat> recent = follower.heartbeats();
    assertTrue(
        recent.subList(recent.size() - 2, recent.size()).stream()
            .allMatch(h -> h.getRegisteredNodesVersion() > 0),
        "heartbeats report the version they hold");
  }

  @Test
  void aNodeThatHeardFromNoMasterCannotCheckTokensAndAsksForARetry() throws Exception {
    try (ServerSocket closed = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String nowhere = "127.0.0.1:" + closed.getLocalPort();
      closed.close();
      try (DataNodeFixture lonely =
          DataNodeFixture.start(
              vertx, dir.resolve("lonely"), 1, b -> b.masters(List.of(nowhere)))) {
        String address = lonely.node(0).httpAddress();

        BlockClient.Reply forwarded =
            client
                .put(address, 13, new BlockPattern(13, 100), List.of(nodes.node(0).httpAddress()))
                .await(10, TimeUnit.SECONDS);
        BlockClient.Reply stored =
            client
                .put(address, 14, new BlockPattern(14, 100), List.of())
                .await(10, TimeUnit.SECONDS);

        // Without a token: refused as always. With one: it cannot tell a good token yet.
        assertEquals(401, forwarded.status());
        assertEquals(401, client.head(address, 13).await(10, TimeUnit.SECONDS).status());
        assertEquals(401, stored.status(), stored.json().encode());
        client.useToken(
            BlockTokens.sign(
                BlockToken.newBuilder().setKeyId(1).setBlockId(14).setExpiryMs(1).build(),
                BlockKey.newBuilder()
                    .setKeyId(1)
                    .setSecret(ByteString.copyFrom(new byte[32]))
                    .build()));
        BlockClient.Reply unverifiable =
            client
                .put(address, 14, new BlockPattern(14, 100), List.of())
                .await(10, TimeUnit.SECONDS);
        client.useToken(null);
        assertEquals(503, unverifiable.status());
        assertTrue(
            unverifiable.json().getString("error").contains("block keys from a master; retry"),
            unverifiable.json().encode());
      }
    }
  }

  @Test
  void silentMasterDoesNotHoldUpTheOthers() throws Exception {
    // Connections are accepted (by the kernel's backlog) and never answered.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        FakeMaster master = FakeMaster.start(vertx, true);
        DataNodeFixture node =
            DataNodeFixture.start(
                vertx,
                dir.resolve("silent"),
                1,
                b ->
                    b.masters(List.of("127.0.0.1:" + silent.getLocalPort(), master.address()))
                        .heartbeatInterval(Duration.ofMillis(20)))) {
      String nodeId = node.node(0).nodeId();
      Await.until(
          WAIT,
          "registered, heartbeating and reported to the master that answers",
          () ->
              master.registrations().stream().anyMatch(r -> r.startsWith(nodeId + "@"))
                  && master.heartbeats().size() > 20
                  && master.reports().stream().anyMatch(r -> r.getFull()));
    }
  }
}
