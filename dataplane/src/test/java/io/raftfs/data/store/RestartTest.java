package io.raftfs.data.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.data.DataNode;
import io.raftfs.data.testing.BlockClient;
import io.raftfs.data.testing.BlockFiles;
import io.raftfs.data.testing.BlockPattern;
import io.raftfs.data.testing.DataNodeFixture;
import io.raftfs.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a data node finds in its directory when it starts again, after a stop or a crash. */
class RestartTest {
  @TempDir Path dir;
  private Vertx vertx;
  private DataNodeFixture nodes;
  private BlockClient client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    nodes = DataNodeFixture.start(vertx, dir, 1);
    client = new BlockClient(vertx);
  }

  @AfterEach
  void stop() {
    client.close();
    nodes.close();
    vertx.close().await();
  }

  @Test
  void blocksAndNodeIdSurviveARestart() throws Exception {
    String nodeId = nodes.node(0).nodeId();
    List<BlockPattern> patterns =
        List.of(new BlockPattern(1, 0), new BlockPattern(2, 70_000), new BlockPattern(3, 1));
    for (int i = 0; i < patterns.size(); i++) {
      client
          .put(nodes.addresses().get(0), i, patterns.get(i), List.of())
          .await(10, TimeUnit.SECONDS);
    }

    DataNode restarted = nodes.restart(0);

    assertEquals(nodeId, restarted.nodeId());
    for (int i = 0; i < patterns.size(); i++) {
      BlockClient.Download get =
          client.get(restarted.httpAddress(), i, patterns.get(i), null).await(10, TimeUnit.SECONDS);
      assertEquals(200, get.status());
      assertTrue(get.matchesPattern());
      assertEquals(patterns.get(i).crc32c(), get.headerCrc32c());
    }
    BlockClient.Reply status =
        client
            .request(HttpMethod.GET, restarted.httpAddress(), "/status")
            .await(10, TimeUnit.SECONDS);
    assertEquals(3, status.json().getLong("blockCount"));
    assertEquals(70_001, status.json().getLong("usedBytes"));
  }

  @Test
  void leftoversOfAKilledUploadAreGoneAfterRestartAndNeverServed() throws Exception {
    Path dataDir = nodes.dir(0);
    nodes.stop(0);
    BlockLayout layout = new BlockLayout(dataDir);
    // What a kill -9 can leave: temp files, and a sidecar whose data file was never renamed.
    Files.write(layout.tempDir().resolve("blk_9.123"), new byte[1000]);
    Files.write(layout.tempDir().resolve("blk_9.123.crc"), new byte[10]);
    Files.createDirectories(layout.bucket(9));
    Files.write(layout.sidecarFile(9), new byte[10]);

    DataNode restarted = nodes.restart(0);

    assertTrue(BlockFiles.tempFiles(dataDir).isEmpty());
    assertFalse(Files.exists(layout.sidecarFile(9)));
    assertEquals(404, client.head(restarted.httpAddress(), 9).await(10, TimeUnit.SECONDS).status());
  }

  @Test
  void blockWithDamagedSidecarIsQuarantinedNotServed() throws Exception {
    BlockPattern pattern = new BlockPattern(4, 100_000);
    client.put(nodes.addresses().get(0), 12, pattern, List.of()).await(10, TimeUnit.SECONDS);
    Path dataDir = nodes.dir(0);
    nodes.stop(0);
    BlockLayout layout = new BlockLayout(dataDir);
    byte[] sidecar = Files.readAllBytes(layout.sidecarFile(12));
    sidecar[10] ^= 1;
    Files.write(layout.sidecarFile(12), sidecar);

    DataNode restarted = nodes.restart(0);

    assertEquals(
        404, client.head(restarted.httpAddress(), 12).await(10, TimeUnit.SECONDS).status());
    assertTrue(BlockFiles.blockFiles(dataDir).isEmpty());
    try (var kept = Files.list(layout.corruptDir())) {
      assertEquals(2, kept.count(), "data file and sidecar kept for inspection");
    }
  }

  @Test
  void gracefulStopLetsAnUploadInProgressFinish() throws Exception {
    BlockPattern pattern = new BlockPattern(5, 2 << 20);
    BlockClient.OpenUpload upload =
        client.open(nodes.addresses().get(0), 30, pattern.length(), pattern.crc32c(), List.of());
    upload.write(pattern.bytes(0, 1 << 20));
    // Stop only once the node writes the block: a request it has not read yet is not in progress,
    // and a graceful stop closes its connection (CI saw "Connection was closed" 31 ms in).
    Path uploads = nodes.dir(0).resolve("tmp");
    Await.until(
        java.time.Duration.ofSeconds(10),
        "the upload to reach the node",
        () -> {
          try (var files = Files.list(uploads)) {
            return files.findAny().isPresent();
          } catch (java.io.IOException e) {
            return false;
          }
        });

    io.vertx.core.Future<Void> stopping = nodes.stopGracefully(0, java.time.Duration.ofSeconds(20));
    upload.request().end(io.vertx.core.buffer.Buffer.buffer(pattern.bytes(1 << 20, 1 << 20)));

    assertEquals(201, upload.reply().await(20, TimeUnit.SECONDS).status());
    stopping.await(20, TimeUnit.SECONDS);
    DataNode restarted = nodes.restart(0);
    assertTrue(
        client
            .get(restarted.httpAddress(), 30, pattern, null)
            .await(10, TimeUnit.SECONDS)
            .matchesPattern());
  }

  @Test
  void secondNodeOnTheSameDirectoryIsRefused() {
    Exception e =
        org.junit.jupiter.api.Assertions.assertThrows(
            Exception.class,
            () ->
                DataNode.start(vertx, nodes.node(0).config().toBuilder().httpPort(0).build())
                    .await(10, TimeUnit.SECONDS));
    assertTrue(e.getMessage().contains("in use by another data node"), e.getMessage());
  }
}
