package io.raftfs.client.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.client.config.ClientConfig;
import io.raftfs.client.config.ClientConfigKeys;
import io.raftfs.proto.DataNodeAddress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data node that stops sending in the middle of a block (hung, or cut off without a reset) must
 * not hang the reader: the download fails, blaming that node, so the next replica is tried. A node
 * that is merely slow, still sending, must not be given up on. A node that stops taking a block
 * being uploaded must not hang the writer.
 */
// Without the read timeout or the stall guard a test would block forever: fail it instead.
@Timeout(30)
class SilentDataNodeTest {
  private static final int LENGTH = 25_000;

  @TempDir Path dir;
  private final CountDownLatch release = new CountDownLatch(1);
  private ServerSocket server;

  private static DataNodeClient stallingAfter(Duration timeout) {
    return new DataNodeClient(
        ClientConfig.builder().set(ClientConfigKeys.DataNode.STALL_TIMEOUT, timeout).build());
  }

  @AfterEach
  void stopServer() throws IOException {
    release.countDown();
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aNodeThatFallsSilentMidBlockIsGivenUpAndBlamed() throws Exception {
    DataNodeAddress node = at(serve(100, 0)); // 100 bytes of 25,000, then nothing
    DataNodeClient client = stallingAfter(Duration.ofMillis(500));
    try (FileChannel target = open()) {
      DataNodeException e =
          assertThrows(
              DataNodeException.class,
              () -> client.getBlock(node, 7, LENGTH, BlockSink.of(target, 0), n -> {}));
      assertTrue(
          e.getMessage().contains("no data for 500 ms after 100 of 25000 bytes"), e::getMessage);
      assertEquals(node.getHttpAddress(), e.blamedNode());
    }
  }

  @Test
  void aSlowNodeThatKeepsSendingIsNotGivenUp() throws Exception {
    // 25 pieces 100 ms apart: 2.5 s in all, far beyond the 1.5 s stall timeout, never silent.
    DataNodeAddress node = at(serve(LENGTH / 25, 100));
    DataNodeClient client = stallingAfter(Duration.ofMillis(1500));
    try (FileChannel target = open()) {
      int crc = client.getBlock(node, 7, LENGTH, BlockSink.of(target, 0), n -> {});
      assertEquals(crc32c(), crc);
      assertEquals(LENGTH, target.size());
    }
  }

  @Test
  void aNodeThatTricklesABlockIsGivenUpAtItsDeadlineAndBlamed() throws Exception {
    // A byte every 50 ms: never silent for the stall timeout, but 25,000 bytes would take 21 min.
    DataNodeAddress node = at(serve(1, 50));
    // The deadline: 1 s, plus 95 ms for 25,000 bytes at the slowest rate accepted (256 KiB/s).
    DataNodeClient client =
        new DataNodeClient(
            ClientConfig.builder()
                .set(ClientConfigKeys.DataNode.STALL_TIMEOUT, Duration.ofMillis(1500))
                .set(ClientConfigKeys.DataNode.PUT_ANSWER_TIMEOUT, Duration.ofSeconds(1))
                .build());
    try (FileChannel target = open()) {
      DataNodeException e =
          assertThrows(
              DataNodeException.class,
              () -> client.getBlock(node, 7, LENGTH, BlockSink.of(target, 0), n -> {}));
      String expected =
          Pattern.quote(node.getHttpAddress())
              + ": block 7: not received within 1095 ms, \\d+ of 25000 bytes arrived";
      assertTrue(e.getMessage().matches(expected), e::getMessage);
      assertEquals(node.getHttpAddress(), e.blamedNode());
    }
  }

  @Test
  void aNodeThatStopsTakingABlockIsGivenUpAndBlamed() throws Exception {
    DataNodeAddress node = at(swallowHead());
    DataNodeClient client = stallingAfter(Duration.ofMillis(500));
    // Far more than the socket buffers of both ends take without the node reading.
    BlockSlice block = new BlockSlice.InMemory(0, new byte[32 << 20]);
    DataNodeException e =
        assertThrows(
            DataNodeException.class,
            () -> client.putBlock(List.of(node), 7, block, block.crc32c(), n -> {}));
    assertTrue(e.getMessage().contains("took no data for 500 ms"), e::getMessage);
    assertEquals(node.getHttpAddress(), e.blamedNode());
  }

  private FileChannel open() throws IOException {
    return FileChannel.open(
        Files.createTempFile(dir, "block", ".bin"),
        StandardOpenOption.READ,
        StandardOpenOption.WRITE);
  }

  /**
   * A one-request HTTP server announcing {@link #LENGTH} bytes. With a pause of 0 it sends {@code
   * piece} bytes and then holds the connection open without a word; otherwise it sends the whole
   * body in pieces of {@code piece} bytes, {@code pauseMillis} apart.
   */
  private String serve(int piece, long pauseMillis) throws IOException {
    return serveOne(
        "silent-data-node",
        socket -> {
          OutputStream out = socket.getOutputStream();
          out.write(
              ("HTTP/1.1 200 OK\r\nContent-Length: " + LENGTH + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
          byte[] body = body();
          for (int sent = 0; sent < LENGTH; sent += piece) {
            out.write(body, sent, Math.min(piece, LENGTH - sent));
            out.flush();
            if (pauseMillis == 0) {
              break;
            }
            Thread.sleep(pauseMillis);
          }
        });
  }

  /** A one-request server that reads the request's head and then nothing, holding on. */
  private String swallowHead() throws IOException {
    return serveOne("deaf-data-node", socket -> {});
  }

  /** What a test server does after reading the request's head, before holding on. */
  private interface Answer {
    void write(Socket socket) throws IOException, InterruptedException;
  }

  /** Accepts one connection, reads a request head, answers, then holds the connection open. */
  private String serveOne(String name, Answer answer) throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    Thread thread =
        new Thread(
            () -> {
              try (Socket socket = server.accept()) {
                readRequestHead(socket.getInputStream());
                answer.write(socket);
                release.await();
              } catch (IOException | InterruptedException e) {
                // the test is over
              }
            },
            name);
    thread.setDaemon(true);
    thread.start();
    return "127.0.0.1:" + server.getLocalPort();
  }

  private static void readRequestHead(InputStream in) throws IOException {
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < end.length) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("request ended early");
      }
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
  }

  private static byte[] body() {
    byte[] body = new byte[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      body[i] = (byte) (i * 31);
    }
    return body;
  }

  private static int crc32c() {
    CRC32C crc = new CRC32C();
    crc.update(body());
    return (int) crc.getValue();
  }

  private static DataNodeAddress at(String address) {
    return DataNodeAddress.newBuilder().setHttpAddress(address).build();
  }
}
