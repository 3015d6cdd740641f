package io.raftfs.data.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.raftfs.auth.BlockTokens;
import io.raftfs.data.testing.BlockClient;
import io.raftfs.data.testing.BlockPattern;
import io.raftfs.data.testing.DataNodeFixture;
import io.raftfs.data.testing.FakeMaster;
import io.raftfs.proto.BlockKey;
import io.raftfs.proto.BlockKeys;
import io.raftfs.proto.BlockToken;
import io.raftfs.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data nodes whose (fake) master requires block tokens: they serve a PUT down its chain, a GET and
 * a chain's cleanup DELETE only with a token signed by a key the master sent, and forward the
 * token.
 */
class BlockTokenCheckTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final BlockKey KEY =
      BlockKey.newBuilder()
          .setKeyId(5)
          .setSecret(ByteString.copyFrom(new byte[32]))
          .setExpiresAtMs(System.currentTimeMillis() + 3_600_000)
          .build();

  @TempDir Path dir;
  private Vertx vertx;
  private FakeMaster master;
  private DataNodeFixture nodes;
  private BlockClient client;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    master = FakeMaster.start(vertx, true);
    master.requireBlockTokens(BlockKeys.newBuilder().setVersion(9).addKeys(KEY).build());
    nodes =
        DataNodeFixture.start(
            vertx,
            dir,
            3,
            b -> b.masters(List.of(master.address())).heartbeatInterval(Duration.ofMillis(20)));
    client = new BlockClient(vertx);
    // Every node learned the keys (a good token gets to the store) and the other nodes.
    for (int i = 0; i < nodes.size(); i++) {
      String node = nodes.addresses().get(i);
      var targets = nodes.node(i).forwardTargets();
      Await.until(
          WAIT,
          node + " learned the keys and the registered nodes",
          () -> {
            client.useToken(token(1, Set.of(BlockTokens.Op.READ), nodes.addresses()));
            return status(HttpMethod.HEAD, node, 1) == 404
                && nodes.addresses().stream().allMatch(targets::accepts);
          });
    }
    client.useToken(null);
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    nodes.close();
    master.close();
    vertx.close().await();
  }

  private int status(HttpMethod method, String node, long blockId) {
    return client.request(method, node, "/blocks/" + blockId).await().status();
  }

  private static String token(long blockId, Set<BlockTokens.Op> ops, List<String> chain) {
    return BlockTokens.sign(
        BlockToken.newBuilder()
            .setKeyId(KEY.getKeyId())
            .setBlockId(blockId)
            .setOps(BlockTokens.Op.bits(ops))
            .setExpiryMs(System.currentTimeMillis() + 60_000)
            .addAllChain(chain)
            .build(),
        KEY);
  }

  @Test
  void aChainStoresWithItsTokenAndReadsNeedAReadToken() throws Exception {
    List<String> chain = nodes.addresses();
    BlockPattern pattern = new BlockPattern(3, 100_000);
    client.useToken(token(3, BlockTokens.WRITER, chain));
    BlockClient.Reply stored =
        client.put(chain.get(0), 3, pattern, chain.subList(1, 3)).await(10, TimeUnit.SECONDS);
    assertEquals(201, stored.status(), String.valueOf(stored.json()));
    assertEquals(3, stored.json().getJsonArray("replicas").size());
    // The write token does not read, a read token does, on every replica.
    assertEquals(403, status(HttpMethod.GET, chain.get(2), 3));
    client.useToken(token(3, Set.of(BlockTokens.Op.READ), chain));
    for (String node : chain) {
      assertEquals(200, status(HttpMethod.GET, node, 3));
      assertEquals(200, status(HttpMethod.HEAD, node, 3));
    }
    assertEquals(403, status(HttpMethod.GET, chain.get(0), 4), "a token for another block");
    // A read token is good on the replicas it was given for, not on another node holding one.
    client.useToken(token(3, Set.of(BlockTokens.Op.READ), chain.subList(0, 2)));
    assertEquals(200, status(HttpMethod.GET, chain.get(1), 3));
    assertEquals(403, status(HttpMethod.GET, chain.get(2), 3), "replayed against another node");
  }

  @Test
  void aTokenIsRefusedOffItsChainAndWithAPipelineItDoesNotName() {
    List<String> chain = nodes.addresses();
    BlockPattern pattern = new BlockPattern(6, 1000);
    client.useToken(token(6, BlockTokens.WRITER, chain.subList(0, 2)));
    BlockClient.Reply replayed = client.put(chain.get(2), 6, pattern, List.of()).await();
    assertEquals(403, replayed.status(), String.valueOf(replayed.json()));
    BlockClient.Reply redirected =
        client.put(chain.get(0), 6, pattern, List.of(chain.get(2))).await();
    assertEquals(403, redirected.status());
    assertTrue(
        redirected.json().getString("error").contains("does not end with"),
        String.valueOf(redirected.json()));
    client.useToken(null);
    assertEquals(401, client.put(chain.get(0), 6, pattern, List.of()).await().status());
    client.useToken("garbage");
    assertEquals(401, client.put(chain.get(0), 6, pattern, List.of()).await().status());
  }

  @Test
  void aChainsTokenDeletesWhatItStoredOnlyOnItsNodes() {
    List<String> chain = nodes.addresses().subList(0, 1);
    client.useToken(token(8, BlockTokens.WRITER, chain));
    assertEquals(
        201, client.put(chain.get(0), 8, new BlockPattern(8, 10), List.of()).await().status());
    client.useToken(token(8, Set.of(BlockTokens.Op.READ), chain));
    assertEquals(403, status(HttpMethod.DELETE, chain.get(0), 8));
    client.useToken(token(8, BlockTokens.WRITER, List.of(nodes.addresses().get(1))));
    assertEquals(403, status(HttpMethod.DELETE, chain.get(0), 8));
    client.useToken(token(8, BlockTokens.WRITER, chain));
    assertEquals(204, status(HttpMethod.DELETE, chain.get(0), 8));
  }
}
