package io.raftfs.data.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.auth.BlockTokens;
import io.raftfs.client.meta.MetaClient;
import io.raftfs.data.DataNode;
import io.raftfs.data.testing.BlockClient;
import io.raftfs.data.testing.BlockClient.Reply;
import io.raftfs.data.testing.BlockFiles;
import io.raftfs.data.testing.BlockPattern;
import io.raftfs.data.testing.DataNodeFixture;
import io.raftfs.proto.BlockKey;
import io.raftfs.proto.BlockToken;
import io.raftfs.testing.Await;
import io.raftfs.testing.cluster.MiniRaftfsCluster;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data nodes with real masters forward a PUT only down a pipeline of registered data nodes: any
 * other address is refused with 403 before space is reserved or a connection is made, and a node
 * registered later is accepted once the heartbeat answers told the others.
 */
class RegisteredForwardingTest {
  private static final long CAPACITY = 8 << 20;
  private static final Duration WAIT = Duration.ofSeconds(30);

  // A fixed capacity makes the free space exact: a reservation would show in /status.
  @RegisterExtension
  static final MiniRaftfsCluster cluster =
      MiniRaftfsCluster.builder()
          .dataNodes(2)
          .dataNodeSettings(b -> b.capacityBytes(CAPACITY))
          // The test's BlockClient speaks plaintext HTTP; TlsClusterTest covers the chain over TLS.
          .tls(false)
          .build();

  @TempDir static Path dir;
  private static Vertx vertx;
  private static BlockClient client;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    client = new BlockClient(vertx);
    // Block requests need tokens: these are signed with the leader's key, once the nodes know it.
    // A new leader rolls its first key just after its election.
    Await.until(
        WAIT,
        "the leader's first block key",
        () ->
            !cluster
                .masters()
                .master(cluster.masters().awaitLeader())
                .store()
                .blockKeys()
                .getKeysList()
                .isEmpty());
    for (String node : cluster.dataNodes().addresses()) {
      Await.until(
          WAIT,
          node + " knows the block key",
          () -> {
            reading(1, List.of(node));
            return client.head(node, 1).await().status() == 404;
          });
    }
  }

  /** The client's next requests carry a WRITE token for {@code chain}. */
  private static void writing(long blockId, List<String> chain) {
    client.useToken(token(blockId, BlockTokens.Op.WRITE, chain));
  }

  /** The client's next requests carry a READ token for the replicas on {@code nodes}. */
  private static void reading(long blockId, List<String> nodes) {
    client.useToken(token(blockId, BlockTokens.Op.READ, nodes));
  }

  private static String token(long blockId, BlockTokens.Op op, List<String> chain) {
    BlockKey key =
        cluster
            .masters()
            .master(cluster.masters().awaitLeader())
            .store()
            .blockKeys()
            .getKeysList()
            .stream()
            .min(Comparator.comparingLong(BlockKey::getExpiresAtMs))
            .orElseThrow();
    return BlockTokens.sign(
        BlockToken.newBuilder()
            .setKeyId(key.getKeyId())
            .setBlockId(blockId)
            .setOps(op.bit())
            .setExpiryMs(System.currentTimeMillis() + 60_000)
            .addAllChain(chain)
            .build(),
        key);
  }

  @AfterAll
  static void stop() {
    client.close();
    vertx.close().await();
  }

  @Test
  void aPipelineNamingAnUnregisteredAddressIs403AndReservesNothing() throws Exception {
    DataNodeFixture nodes = cluster.dataNodes();
    String first = nodes.node(0).httpAddress();
    String second = nodes.node(1).httpAddress();
    try (ServerSocketChannel listener = ServerSocketChannel.open()) {
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      listener.configureBlocking(false);
      String stranger = "127.0.0.1:" + listener.socket().getLocalPort();
      long freeBefore = freeBytes(first);

      writing(101, List.of(first, second, stranger));
      Reply small =
          client
              .put(first, 101, new BlockPattern(101, 70_000), List.of(second, stranger))
              .await(10, TimeUnit.SECONDS);
      // Longer than the node's capacity: had space been reserved first, this would be a 507.
      writing(102, List.of(first, stranger));
      Reply huge =
          client
              .put(first, 102, new BlockPattern(102, 2 * CAPACITY), List.of(stranger))
              .await(30, TimeUnit.SECONDS);

      for (Reply reply : List.of(small, huge)) {
        assertEquals(403, reply.status(), reply.json().encode());
        assertTrue(
            reply.json().getString("error").contains(stranger + " is not a registered data node"),
            reply.json().encode());
      }
      assertNull(listener.accept(), "a data node connected to " + stranger);
      assertEquals(freeBefore, freeBytes(first));
      reading(101, nodes.addresses());
      for (int i = 0; i < 2; i++) {
        assertEquals(List.of(), BlockFiles.tempFiles(nodes.dir(i)));
        assertEquals(
            404,
            client.head(nodes.node(i).httpAddress(), 101).await(10, TimeUnit.SECONDS).status());
      }
    }
  }

  @Test
  void aChainOfRegisteredNodesStoresTheBlockOnEach() throws Exception {
    List<String> chain = cluster.dataNodes().addresses();
    BlockPattern pattern = new BlockPattern(103, 100_000);

    writing(103, chain);
    Reply put =
        client.put(chain.get(0), 103, pattern, chain.subList(1, 2)).await(10, TimeUnit.SECONDS);

    assertEquals(201, put.status(), put.json().encode());
    assertEquals(new JsonArray(chain), put.json().getJsonArray("replicas"));
    reading(103, chain);
    for (String node : chain) {
      assertTrue(client.get(node, 103, pattern, null).await(10, TimeUnit.SECONDS).matchesPattern());
    }
  }

  @Test
  void aNodeRegisteredLaterIsAcceptedAfterTheNextHeartbeats() throws Exception {
    DataNode first = cluster.dataNodes().node(0);
    // No masters of its own: it registers only when the test says so.
    try (DataNodeFixture late = DataNodeFixture.start(vertx, dir.resolve("late"), 1);
        MetaClient meta = cluster.newMetaClient()) {
      String lateAddress = late.node(0).httpAddress();
      BlockPattern pattern = new BlockPattern(104, 5000);
      writing(104, List.of(first.httpAddress(), lateAddress));

      Reply before =
          client
              .put(first.httpAddress(), 104, pattern, List.of(lateAddress))
              .await(10, TimeUnit.SECONDS);
      assertEquals(403, before.status(), before.json().encode());
      // The late node has no masters: it serves without tokens.
      assertEquals(404, client.head(lateAddress, 104).await(10, TimeUnit.SECONDS).status());

      meta.registerDataNode("late-node", lateAddress, CAPACITY);
      Await.until(
          WAIT,
          "data node 0 accepts the node registered late",
          () -> first.forwardTargets().accepts(lateAddress));
      Reply after =
          client
              .put(first.httpAddress(), 104, pattern, List.of(lateAddress))
              .await(10, TimeUnit.SECONDS);

      assertEquals(201, after.status(), after.json().encode());
      assertTrue(
          client.get(lateAddress, 104, pattern, null).await(10, TimeUnit.SECONDS).matchesPattern());
    }
  }

  private static long freeBytes(String node) throws Exception {
    return client
        .request(HttpMethod.GET, node, "/status")
        .await(10, TimeUnit.SECONDS)
        .json()
        .getLong("freeBytes");
  }
}
