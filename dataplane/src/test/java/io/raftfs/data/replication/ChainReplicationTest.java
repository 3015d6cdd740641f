package io.raftfs.data.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.data.testing.BlockClient;
import io.raftfs.data.testing.BlockClient.OpenUpload;
import io.raftfs.data.testing.BlockClient.Reply;
import io.raftfs.data.testing.BlockFiles;
import io.raftfs.data.testing.BlockPattern;
import io.raftfs.data.testing.DataNodeFixture;
import io.raftfs.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Uploads through a chain of three nodes: all or nothing, on every node. */
class ChainReplicationTest {
  private static final Duration CLEANUP = Duration.ofSeconds(10);

  @TempDir Path dir;
  private Vertx vertx;
  private DataNodeFixture nodes;
  private BlockClient client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    nodes = DataNodeFixture.start(vertx, dir, 3);
    client = new BlockClient(vertx);
  }

  @AfterEach
  void stop() {
    client.close();
    nodes.close();
    vertx.close().await();
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(longs = {(8L << 20) + 3, 4096, 0}) // streamed through a file; collected in memory
  void oneUploadLeavesIdenticalBytesOnAllThreeNodes(long length) throws Exception {
    List<String> chain = nodes.addresses();
    BlockPattern pattern = new BlockPattern(11, length);

    Reply put =
        client.put(chain.get(0), 1, pattern, chain.subList(1, 3)).await(30, TimeUnit.SECONDS);

    assertEquals(201, put.status(), put.json().encode());
    assertEquals(new JsonArray(chain), put.json().getJsonArray("replicas"));
    for (String node : chain) {
      BlockClient.Download get = client.get(node, 1, pattern, null).await(30, TimeUnit.SECONDS);
      assertEquals(pattern.length(), get.length(), node);
      assertTrue(get.matchesPattern(), node);
      assertEquals(pattern.crc32c(), get.headerCrc32c(), node);
    }
  }

  @Test
  void wrongCrcIsRejectedAndNoNodeKeepsAnything() throws Exception {
    List<String> chain = nodes.addresses();
    BlockPattern pattern = new BlockPattern(12, 300_000);

    Reply put =
        client
            .put(chain.get(0), 2, pattern, pattern.crc32c() ^ 1, chain.subList(1, 3))
            .await(30, TimeUnit.SECONDS);

    assertEquals(422, put.status(), put.json().encode());
    assertTrue(put.json().getString("error").contains("CRC32C mismatch"));
    assertNothingStoredAnywhere();
  }

  @Test
  void downstreamDyingMidUploadFailsWith502NamingItAndNoNodeKeepsAnything() throws Exception {
    List<String> chain = nodes.addresses();
    BlockPattern pattern = new BlockPattern(13, 4L << 20);
    OpenUpload upload =
        client.open(chain.get(0), 3, pattern.length(), pattern.crc32c(), chain.subList(1, 3));
    upload.write(pattern.bytes(0, 1 << 20));
    Await.until(
        CLEANUP,
        "the last node receives bytes",
        () -> BlockFiles.tempFiles(nodes.dir(2)).stream().anyMatch(f -> f.toFile().length() > 0));

    nodes.stop(2);
    upload.write(pattern.bytes(1 << 20, 1 << 20));
    upload
        .request()
        .end(
            pattern.bytes(2 << 20, 2 << 20).length == 0
                ? null
                : io.vertx.core.buffer.Buffer.buffer(pattern.bytes(2 << 20, 2 << 20)));
    Reply reply = upload.reply().await(30, TimeUnit.SECONDS);

    assertEquals(502, reply.status(), reply.json().encode());
    assertEquals(chain.get(2), reply.json().getString("failedNode"));
    assertNothingStoredAnywhere();
  }

  @Test
  void clientVanishingMidUploadLeavesNothingOnAnyNode() throws Exception {
    List<String> chain = nodes.addresses();
    BlockPattern pattern = new BlockPattern(14, 4L << 20);
    OpenUpload upload =
        client.open(chain.get(0), 4, pattern.length(), pattern.crc32c(), chain.subList(1, 3));
    upload.write(pattern.bytes(0, 1 << 20));
    Await.until(
        CLEANUP,
        "the last node receives bytes",
        () -> BlockFiles.tempFiles(nodes.dir(2)).stream().anyMatch(f -> f.toFile().length() > 0));

    upload.request().reset();

    assertNothingStoredAnywhere();
    // Nothing is left reserved either: the same block uploads fine afterwards.
    Reply retry =
        client.put(chain.get(0), 4, pattern, chain.subList(1, 3)).await(30, TimeUnit.SECONDS);
    assertEquals(201, retry.status(), retry.json().encode());
  }

  @Test
  void unreachableDownstreamFailsWith502NamingIt() throws Exception {
    List<String> chain = nodes.addresses();
    String dead;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      dead = "127.0.0.1:" + socket.getLocalPort();
    }
    BlockPattern pattern = new BlockPattern(16, 100_000);

    Reply put =
        client
            .put(chain.get(0), 6, pattern, List.of(chain.get(1), dead))
            .await(30, TimeUnit.SECONDS);

    assertEquals(502, put.status(), put.json().encode());
    assertEquals(dead, put.json().getString("failedNode"));
    assertNothingStoredAnywhere();
  }

  @Test
  void fullLastNodeFailsTheChainWith502AndNoNodeKeepsAnything() throws Exception {
    try (DataNodeFixture full =
        DataNodeFixture.start(
            vertx, dir.resolve("full"), 1, b -> b.capacityBytes(1000).reserveBytes(0))) {
      List<String> chain =
          List.of(nodes.addresses().get(0), nodes.addresses().get(1), full.addresses().get(0));
      BlockPattern pattern = new BlockPattern(15, 5000);

      Reply put =
          client.put(chain.get(0), 5, pattern, chain.subList(1, 3)).await(30, TimeUnit.SECONDS);

      assertEquals(502, put.status(), put.json().encode());
      assertEquals(chain.get(2), put.json().getString("failedNode"));
      assertTrue(put.json().getString("error").contains("507"), put.json().encode());
      assertNothingStoredAnywhere();
      assertTrue(BlockFiles.blockFiles(full.dir(0)).isEmpty());
    }
  }

  private void assertNothingStoredAnywhere() {
    for (int i = 0; i < nodes.size(); i++) {
      Path nodeDir = nodes.dir(i);
      Await.until(
          CLEANUP,
          "node " + i + " has no block and no temp file",
          () ->
              BlockFiles.blockFiles(nodeDir).isEmpty() && BlockFiles.tempFiles(nodeDir).isEmpty());
    }
  }
}
