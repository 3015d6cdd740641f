package io.raftfs.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.client.config.ClientConfig;
import io.raftfs.client.config.ClientConfigKeys;
import io.raftfs.client.transfer.BlockSink;
import io.raftfs.client.transfer.BlockSlice;
import io.raftfs.client.transfer.DataNodeClient;
import io.raftfs.client.transfer.DataNodeException;
import io.raftfs.proto.DataNodeAddress;
import io.raftfs.testing.cluster.ClusterCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The blocking transport over TLS keeps what it promises in plaintext: a data node that falls
 * silent is given up by the stall guard, reading or writing, and an interrupted transfer ends at
 * once. And it trusts only what it should: a server with a certificate of another CA, a master's
 * certificate where a data node was expected, or another data node's where one node was meant, is
 * refused before any request is sent.
 */
// Without the stall guard or the interrupt a test would block forever: fail it instead.
@Timeout(60)
class TlsTransportTest {
  private static final int LENGTH = 25_000;

  @TempDir Path dir;
  private final CountDownLatch release = new CountDownLatch(1);
  private ClusterCertificates certificates;
  private ServerSocket server;

  @BeforeEach
  void makeCertificates() {
    certificates = ClusterCertificates.in(dir.resolve("tls"));
  }

  @AfterEach
  void stopServer() throws IOException {
    release.countDown();
    if (server != null) {
      server.close();
    }
  }

  /** A read of block 7 from {@code node} that must fail; its failure. */
  private DataNodeException failedRead(DataNodeAddress node, Duration stallTimeout) {
    return assertThrows(
        DataNodeException.class,
        () ->
            client(stallTimeout)
                .getBlock(node, 7, LENGTH, BlockSink.of(new byte[LENGTH]), n -> {}));
  }

  private DataNodeClient client(Duration stallTimeout) {
    return new DataNodeClient(
        ClientConfig.builder()
            .set(ClientConfigKeys.DataNode.STALL_TIMEOUT, stallTimeout)
            .set(ClientConfigKeys.Tls.CA_FILE, certificates.caFile())
            .build());
  }

  @Test
  void aNodeThatFallsSilentMidBlockIsGivenUpOverTls() throws Exception {
    DataNodeAddress node = at(serve(certificates.dataNode("dn-1"), 100), "dn-1");
    DataNodeException e = failedRead(node, Duration.ofMillis(500));
    assertTrue(
        e.getMessage().contains("no data for 500 ms after 100 of 25000 bytes"), e::getMessage);
    assertEquals(node.getHttpAddress(), e.blamedNode());
  }

  @Test
  void aNodeThatStopsTakingABlockIsGivenUpOverTls() throws Exception {
    DataNodeAddress node = at(serve(certificates.dataNode("dn-1"), -1), "dn-1");
    BlockSlice block = new BlockSlice.InMemory(0, new byte[32 << 20]);
    DataNodeException e =
        assertThrows(
            DataNodeException.class,
            () ->
                client(Duration.ofMillis(500))
                    .putBlock(List.of(node), 7, block, block.crc32c(), n -> {}));
    assertTrue(e.getMessage().contains("took no data for 500 ms"), e::getMessage);
  }

  @Test
  void anInterruptedDownloadEndsAtOnceOverTls() throws Exception {
    DataNodeAddress node = at(serve(certificates.dataNode("dn-1"), 100), "dn-1");
    DataNodeClient client = client(Duration.ofMinutes(5)); // only the interrupt can end it
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try {
                client.getBlock(node, 7, LENGTH, BlockSink.of(new byte[LENGTH]), n -> {});
                failure.complete(null);
              } catch (Throwable e) {
                failure.complete(e);
              }
            });
    reader.start();
    // The reader is blocked once the server sent its 100 bytes and holds on.
    served.await(20, TimeUnit.SECONDS);
    long interrupted = System.nanoTime();
    reader.interrupt();
    Throwable e = failure.get(5, TimeUnit.SECONDS);
    assertTrue(e != null, "an interrupted download fails");
    assertTrue(
        System.nanoTime() - interrupted < TimeUnit.SECONDS.toNanos(5),
        "the download ended soon after the interrupt");
  }

  @Test
  void aServerWithAnotherCasCertificateIsRefused() throws Exception {
    ClusterCertificates stranger = ClusterCertificates.in(dir.resolve("other"));
    DataNodeAddress node = at(serve(stranger.dataNode("dn-1"), 100), "dn-1");
    DataNodeException e = failedRead(node, Duration.ofSeconds(5));
    assertTrue(causes(e).stream().anyMatch(SSLException.class::isInstance), e::getMessage);
    assertEquals(0, requests, "no request reached the server");
  }

  @Test
  void aMastersCertificateIsRefusedWhereADataNodeWasExpected() throws Exception {
    DataNodeAddress node = at(serve(certificates.master("m1"), 100), "");
    DataNodeException e = failedRead(node, Duration.ofSeconds(5));
    assertTrue(
        e.getMessage().contains("expected a datanode, but its certificate names master m1"),
        e::getMessage);
    assertEquals(0, requests, "no request reached the server");
  }

  @Test
  void anotherDataNodesCertificateIsRefusedWhereOneNodeWasMeant() throws Exception {
    DataNodeAddress meant = at(serve(certificates.dataNode("dn-c"), 100), "dn-b");
    DataNodeException read = failedRead(meant, Duration.ofSeconds(5));
    String refusal = "expected datanode dn-b, but its certificate names datanode dn-c";
    assertTrue(read.getMessage().contains(refusal), read::getMessage);
    assertTrue(causes(read).stream().anyMatch(WrongNodeException.class::isInstance));
    assertEquals(meant.getHttpAddress(), read.blamedNode(), "the next replica is tried");
    assertEquals(0, requests, "no request reached the server");
  }

  @Test
  void aChainWhoseHeadIsAnotherDataNodeIsNotWrittenAndTheHeadIsBlamed() throws Exception {
    DataNodeAddress meant = at(serve(certificates.dataNode("dn-c"), -1), "dn-b");
    BlockSlice block = new BlockSlice.InMemory(0, new byte[4096]);
    DataNodeException e =
        assertThrows(
            DataNodeException.class,
            () ->
                client(Duration.ofSeconds(5))
                    .putBlock(List.of(meant), 7, block, block.crc32c(), n -> {}));
    assertTrue(
        e.getMessage().contains("expected datanode dn-b, but its certificate names datanode dn-c"),
        e::getMessage);
    assertEquals(meant.getHttpAddress(), e.blamedNode(), "placed again without it");
    assertEquals(0, requests, "no request reached the server");
  }

  @Test
  void theNodeMeantIsServed() throws Exception {
    DataNodeAddress meant = at(serve(certificates.dataNode("dn-b"), LENGTH), "dn-b");
    client(Duration.ofSeconds(5))
        .getBlock(meant, 7, LENGTH, BlockSink.of(new byte[LENGTH]), n -> {});
    assertEquals(1, requests);
  }

  /**
   * Both TLS engines the client may use, BoringSSL's where it loads and the JDK's, carry a whole
   * answer over the same blocking transport; on Linux x86-64, where the distribution ships
   * BoringSSL, it is the one chosen.
   */
  @ParameterizedTest
  @ValueSource(strings = {"chosen", "JDK"})
  void eitherEngineCarriesAWholeAnswer(String which) throws Exception {
    String address = serve(certificates.dataNode("dn-b"), LENGTH);
    TlsIdentity trust = TlsIdentity.trusting(certificates.caFile());
    ClientEngines engines =
        which.equals("JDK") ? ClientEngines.jdk(trust) : ClientEngines.of(trust);
    if (which.equals("chosen")
        && System.getProperty("os.name").equals("Linux")
        && System.getProperty("os.arch").equals("amd64")) {
      assertEquals("BoringSSL", engines.name());
    }
    int port = Integer.parseInt(address.substring(address.indexOf(':') + 1));
    try (Socket plain = java.nio.channels.SocketChannel.open().socket()) {
      plain.connect(new java.net.InetSocketAddress("127.0.0.1", port));
      ClientTls.Handshake tls =
          new ClientTls(engines, NodeName.Role.DATANODE).handshake(plain, "127.0.0.1", port, 5000);
      assertEquals("dn-b", tls.peer().id());
      tls.output().write("GET /blocks/7 HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String head = "HTTP/1.1 200 OK\r\nContent-Length: " + LENGTH + "\r\n\r\n";
      byte[] answer = tls.input().readNBytes(head.length() + LENGTH);
      assertEquals(head.length() + LENGTH, answer.length, "the head and every byte of the body");
      assertEquals(head, new String(answer, 0, head.length(), StandardCharsets.US_ASCII));
    }
    assertEquals(1, requests);
  }

  private static DataNodeAddress at(String address, String nodeId) {
    return DataNodeAddress.newBuilder().setHttpAddress(address).setNodeId(nodeId).build();
  }

  private static List<Throwable> causes(Throwable e) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable cause = e; cause != null && !chain.contains(cause); cause = cause.getCause()) {
      chain.add(cause);
    }
    return chain;
  }

  private final CountDownLatch served = new CountDownLatch(1);
  private volatile int requests;

  /**
   * A one-request TLS server with {@code files}' certificate: it reads the request's head, then
   * announces {@link #LENGTH} bytes and sends {@code sent} of them ({@code -1}: answers nothing and
   * reads no more), then holds the connection open until the test ends.
   */
  private String serve(TlsFiles files, int sent) throws IOException {
    SSLServerSocket tls =
        (SSLServerSocket)
            files
                .load()
                .sslContext()
                .getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress());
    server = tls;
    Thread thread =
        new Thread(
            () -> {
              try (Socket socket = server.accept()) {
                readRequestHead(socket.getInputStream());
                requests++;
                if (sent >= 0) {
                  OutputStream out = socket.getOutputStream();
                  out.write(
                      ("HTTP/1.1 200 OK\r\nContent-Length: " + LENGTH + "\r\n\r\n")
                          .getBytes(StandardCharsets.US_ASCII));
                  out.write(new byte[sent]);
                  out.flush();
                }
                served.countDown();
                release.await();
              } catch (IOException | InterruptedException e) {
                // the test is over, or the client refused the handshake
              }
            },
            "tls-data-node");
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
}
