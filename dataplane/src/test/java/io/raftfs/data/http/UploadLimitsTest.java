package io.raftfs.data.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.data.testing.BlockClient;
import io.raftfs.data.testing.BlockClient.Reply;
import io.raftfs.data.testing.BlockFiles;
import io.raftfs.data.testing.BlockPattern;
import io.raftfs.data.testing.DataNodeFixture;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A PUT may hold only what the node allows, and only while its body keeps coming. */
class UploadLimitsTest {
  private static final long MAX_BLOCK = 1 << 20;

  @TempDir Path dir;
  private Vertx vertx;
  private DataNodeFixture nodes;
  private BlockClient client;
  private String node;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    // A capacity of its own: free space then changes only with this node's blocks.
    nodes =
        DataNodeFixture.start(
            vertx,
            dir,
            1,
            b -> b.blockMaxBytes(MAX_BLOCK).capacityBytes(64L << 20).reserveBytes(0));
    client = new BlockClient(vertx);
    node = nodes.addresses().get(0);
  }

  @AfterEach
  void stop() {
    client.close();
    nodes.close();
    vertx.close().await();
  }

  @Test
  void blockAboveTheMaximumIs413AndReservesNothing() throws Exception {
    long freeBefore = freeBytes();

    Reply reply =
        client
            .put(node, 1, new BlockPattern(1, MAX_BLOCK + 1), List.of())
            .await(30, TimeUnit.SECONDS);

    assertEquals(413, reply.status(), reply.json().encode());
    assertTrue(reply.json().getString("error").contains("limit"), reply.json().encode());
    assertEquals(freeBefore, freeBytes());
    assertTrue(BlockFiles.tempFiles(nodes.dir(0)).isEmpty());
    assertTrue(BlockFiles.blockFiles(nodes.dir(0)).isEmpty());
    // The maximum itself is fine.
    assertEquals(
        201,
        client
            .put(node, 2, new BlockPattern(2, MAX_BLOCK), List.of())
            .await(30, TimeUnit.SECONDS)
            .status());
  }

  private long freeBytes() throws Exception {
    Reply status = client.request(HttpMethod.GET, node, "/status").await(10, TimeUnit.SECONDS);
    return status.json().getLong("freeBytes");
  }
}
