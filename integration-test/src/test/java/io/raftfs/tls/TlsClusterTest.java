package io.raftfs.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.client.FileSystemClient;
import io.raftfs.client.PutOptions;
import io.raftfs.client.TransferListener;
import io.raftfs.client.config.ClientConfig;
import io.raftfs.client.config.ClientConfigKeys;
import io.raftfs.client.transfer.BlockSink;
import io.raftfs.client.transfer.DataNodeClient;
import io.raftfs.client.transfer.DataNodeException;
import io.raftfs.data.DataNode;
import io.raftfs.http.HttpConnectionPool;
import io.raftfs.http.HttpResponse;
import io.raftfs.proto.BlockReport;
import io.raftfs.proto.DataNodeStatus;
import io.raftfs.proto.Heartbeat;
import io.raftfs.proto.LocatedBlock;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaRequestList;
import io.raftfs.proto.RegisterDataNodeRequest;
import io.raftfs.testing.cluster.ClusterCertificates;
import io.raftfs.testing.cluster.MiniRaftfsCluster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster that speaks TLS everywhere: files go through client ↔ master, client ↔ data node, the
 * data nodes' chain and their reports to the masters. Whoever lacks the cluster's CA, or presents
 * another CA's certificate, or speaks for a data node with another node's certificate, is refused,
 * and the masters' view of the nodes does not change.
 */
@Timeout(180)
class TlsClusterTest {
  private static final String PROTOBUF = "application/x-protobuf";
  private static final Duration EXCHANGE = Duration.ofSeconds(10);
  private static final String FILE = "/tls-file";
  private static final byte[] DATA = new byte[3 << 20];

  @RegisterExtension
  static final MiniRaftfsCluster cluster =
      MiniRaftfsCluster.builder().dataNodes(3).tls(true).build();

  @TempDir static Path dir;

  @BeforeAll
  static void putAFileOnEveryNode() throws Exception {
    new Random(19).nextBytes(DATA);
    try (FileSystemClient client = cluster.newClient()) {
      client.put(
          new ByteArrayInputStream(DATA),
          FILE,
          new PutOptions(3, 1 << 20, false),
          TransferListener.NONE);
    }
  }

  @Test
  void filesGoThroughTlsEverywhere() throws Exception {
    try (FileSystemClient client = cluster.newClient()) {
      ByteArrayOutputStream copy = new ByteArrayOutputStream();
      client.get(FILE, copy, TransferListener.NONE);
      assertArrayEquals(DATA, copy.toByteArray());
      for (LocatedBlock block : client.locate(FILE).getBlocksList()) {
        assertEquals(3, block.getReplicasCount(), "the chain reached every node");
      }
    }
  }

  @Test
  void aPlaintextClientIsRefused() throws Exception {
    ClientConfig plaintext =
        ClientConfig.builder()
            .credentials(cluster.masters().rootKey())
            .set(ClientConfigKeys.Meta.CALL_DEADLINE, Duration.ofSeconds(2))
            .build();
    try (FileSystemClient client = new FileSystemClient(cluster.masterAddresses(), plaintext)) {
      assertThrows(RuntimeException.class, () -> client.stat("/"));
    }
    LocatedBlock block = locate().get(0);
    try (DataNodeClient dataNodes = new DataNodeClient(plaintext)) {
      assertThrows(
          DataNodeException.class,
          () ->
              dataNodes.getBlock(
                  block.getReplicas(0),
                  block.getBlock().getBlockId(),
                  block.getBlock().getLength(),
                  block.getToken(),
                  BlockSink.of(new byte[(int) block.getBlock().getLength()]),
                  n -> {}));
    }
  }

  @Test
  void aCertificateFromAnotherCaFailsTheHandshake() throws Exception {
    DataNode victim = cluster.dataNodes().node(1);
    // A certificate naming the victim, from a CA the cluster does not trust.
    TlsIdentity stranger =
        ClusterCertificates.in(dir.resolve("other-ca")).dataNode(victim.nodeId()).load();
    TlsIdentity trustsCluster = TlsIdentity.trusting(cluster.certificates().caFile());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(
        new KeyManager[] {stranger.keyManager().orElseThrow()},
        new TrustManager[] {trustsCluster.trustManager()},
        null);
    List<LocatedBlock> before = locate();
    byte[] emptyFullReport =
        BlockReport.newBuilder().setNodeId(victim.nodeId()).setFull(true).build().toByteArray();
    for (String master : cluster.masterAddresses()) {
      assertThrows(
          IOException.class,
          () -> postOverRawTls(context, master, "/v1/blockreport", emptyFullReport),
          "a master took a connection with another CA's certificate");
    }
    assertEquals(before, locate(), "the victim still holds its replicas");
  }

  @Test
  void reportsForOneNodeWithAnotherNodesCertificateAreRefused() throws Exception {
    DataNode sender = cluster.dataNodes().node(0);
    DataNode victim = cluster.dataNodes().node(1);
    List<LocatedBlock> before = locate();
    TlsIdentity senderIdentity = cluster.certificates().dataNode(sender.nodeId()).load();
    String refusal = "the certificate names datanode " + sender.nodeId() + ", not data node ";
    try (HttpConnectionPool pool =
        new HttpConnectionPool(
            EXCHANGE, EXCHANGE, new ClientTls(senderIdentity, NodeName.Role.MASTER))) {
      for (String master : cluster.masterAddresses()) {
        Answer heartbeat =
            post(
                pool,
                master,
                "/v1/heartbeat",
                Heartbeat.newBuilder()
                    .setNodeId(victim.nodeId())
                    .setHttpAddress(victim.httpAddress())
                    .build()
                    .toByteArray());
        assertEquals(403, heartbeat.status(), heartbeat.text());
        assertTrue(heartbeat.text().contains(refusal + victim.nodeId()), heartbeat.text());

        Answer report =
            post(
                pool,
                master,
                "/v1/blockreport",
                BlockReport.newBuilder()
                    .setNodeId(victim.nodeId())
                    .setFull(true)
                    .build()
                    .toByteArray());
        assertEquals(403, report.status(), report.text());

        Answer registration =
            post(
                pool,
                master,
                "/v1/meta",
                MetaRequestList.newBuilder()
                    .addRequests(
                        MetaRequest.newBuilder()
                            .setRegisterDataNode(
                                RegisterDataNodeRequest.newBuilder()
                                    .setNodeId(victim.nodeId())
                                    .setHttpAddress(sender.httpAddress())
                                    .setCapacityBytes(1L << 30)))
                    .build()
                    .toByteArray());
        assertEquals(403, registration.status(), registration.text());

        // The sender's certificate is good for the sender's own heartbeat.
        Answer own =
            post(
                pool,
                master,
                "/v1/heartbeat",
                Heartbeat.newBuilder()
                    .setNodeId(sender.nodeId())
                    .setHttpAddress(sender.httpAddress())
                    .build()
                    .toByteArray());
        assertEquals(200, own.status(), own.text());
      }
    }
    assertEquals(before, locate(), "the victim still holds its replicas");
    try (FileSystemClient client = cluster.newClient()) {
      DataNodeStatus status =
          client.clusterStatus().getDataNodesList().stream()
              .filter(node -> node.getNodeId().equals(victim.nodeId()))
              .findFirst()
              .orElseThrow();
      assertEquals(victim.httpAddress(), status.getHttpAddress(), "still at its own address");
    }
  }

  @Test
  void raftTakesOnlyMastersCertificates() throws Exception {
    String raft = cluster.masters().master(0).config().self().raftAddress();
    TlsIdentity master = cluster.certificates().master("m2").load();
    TlsIdentity dataNode =
        cluster.certificates().dataNode(cluster.dataNodes().node(0).nodeId()).load();
    assertTrue(Http2Greeting.read(master, raft) > 0, "a master's certificate is taken");
    assertThrows(
        IOException.class,
        () -> Http2Greeting.read(dataNode, raft),
        "Raft took a connection with a data node's certificate");
  }

  private static List<LocatedBlock> locate() {
    try (FileSystemClient client = cluster.newClient()) {
      return client.locate(FILE).getBlocksList().stream()
          .map(
              block ->
                  block.toBuilder()
                      .clearToken()
                      .clearReplicas()
                      .addAllReplicas(
                          block.getReplicasList().stream()
                              .sorted((a, b) -> a.getNodeId().compareTo(b.getNodeId()))
                              .toList())
                      .build())
          .toList();
    }
  }

  private record Answer(int status, String text) {}

  private static Answer post(HttpConnectionPool pool, String master, String path, byte[] body)
      throws IOException {
    try (HttpResponse response =
        pool.exchange(
            master,
            EXCHANGE,
            EXCHANGE,
            c ->
                c.send(
                    "POST",
                    path,
                    Map.of("Content-Type", PROTOBUF),
                    new ByteArrayInputStream(body),
                    body.length))) {
      return new Answer(response.status(), response.bodyText(4096));
    }
  }

  /**
   * POSTs over a TLS socket of {@code context} and returns the answer's status line.
   *
   * @throws IOException when the handshake or the exchange fails (TLS 1.3 reports a refused client
   *     certificate at the first read)
   */
  private static String postOverRawTls(SSLContext context, String master, String path, byte[] body)
      throws IOException {
    int colon = master.lastIndexOf(':');
    try (SSLSocket socket =
        (SSLSocket)
            context
                .getSocketFactory()
                .createSocket(
                    master.substring(0, colon), Integer.parseInt(master.substring(colon + 1)))) {
      socket.setSoTimeout(10_000);
      socket.startHandshake();
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST "
                  + path
                  + " HTTP/1.1\r\nHost: "
                  + master
                  + "\r\nContent-Type: "
                  + PROTOBUF
                  + "\r\nContent-Length: "
                  + body.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder status = new StringBuilder();
      for (int b = in.read(); b != '\r'; b = in.read()) {
        if (b < 0) {
          throw new IOException("closed without an answer");
        }
        status.append((char) b);
      }
      return status.toString();
    }
  }
}
