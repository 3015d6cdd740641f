package io.raftfs.data.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.data.testing.BlockClient;
import io.raftfs.data.testing.BlockClient.Reply;
import io.raftfs.data.testing.BlockFiles;
import io.raftfs.data.testing.BlockPattern;
import io.raftfs.data.testing.DataNodeFixture;
import io.raftfs.protocol.DataNodeProtocol;
import io.raftfs.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A PUT may hold only what the node allows, and only while its body keeps coming. */
class UploadLimitsTest {
  private static final long MAX_BLOCK = 1 << 20;
  private static final Duration PACE_WINDOW = Duration.ofSeconds(1);
  private static final Duration WAIT = Duration.ofSeconds(20);

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
            b ->
                b.blockMaxBytes(MAX_BLOCK)
                    .uploadPace(PACE_WINDOW, 1000)
                    .capacityBytes(64L << 20)
                    .reserveBytes(0));
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

  @Test
  void senderTricklingBytesIsCutOffAndItsReservationReleased() throws Exception {
    long freeBefore = freeBytes();
    int length = 200_000; // streamed through a temp file
    ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
    try (Socket socket = new Socket("127.0.0.1", nodes.node(0).port())) {
      socket.setSoTimeout((int) WAIT.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(
          ("PUT /blocks/3 HTTP/1.1\r\nHost: x\r\nContent-Length: "
                  + length
                  + "\r\n"
                  + DataNodeProtocol.CRC32C
                  + ": 7\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Await.until(WAIT, "the upload's space reserved", () -> freeBytes() == freeBefore - length);
      // One byte every 200 ms: alive, but far below the 1000 bytes per window required.
      trickle.scheduleAtFixedRate(
          () -> {
            try {
              out.write(0);
              out.flush();
            } catch (IOException e) {
              throw new UncheckedIOException(e); // cut off: stops the trickle
            }
          },
          0,
          200,
          TimeUnit.MILLISECONDS);

      String statusLine =
          new BufferedReader(
                  new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();

      assertEquals("HTTP/1.1 408 Request Timeout", statusLine);
    } finally {
      trickle.shutdownNow();
    }
    Await.until(WAIT, "the reservation released", () -> freeBytes() == freeBefore);
    Await.until(WAIT, "the temp file removed", () -> BlockFiles.tempFiles(nodes.dir(0)).isEmpty());
    assertTrue(BlockFiles.blockFiles(nodes.dir(0)).isEmpty());
  }

  private long freeBytes() {
    try {
      Reply status = client.request(HttpMethod.GET, node, "/status").await(10, TimeUnit.SECONDS);
      return status.json().getLong("freeBytes");
    } catch (TimeoutException e) {
      throw new AssertionError("no /status answer", e);
    }
  }
}
