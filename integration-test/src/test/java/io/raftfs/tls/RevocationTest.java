package io.raftfs.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.client.FileSystemClient;
import io.raftfs.client.PutOptions;
import io.raftfs.client.TransferListener;
import io.raftfs.client.transfer.BlockSink;
import io.raftfs.client.transfer.DataNodeClient;
import io.raftfs.client.transfer.DataNodeException;
import io.raftfs.data.DataNode;
import io.raftfs.http.HttpConnectionPool;
import io.raftfs.http.HttpResponse;
import io.raftfs.proto.DataNodeAddress;
import io.raftfs.proto.Heartbeat;
import io.raftfs.proto.LocatedBlock;
import io.raftfs.testing.Await;
import io.raftfs.testing.cluster.MiniRaftfsCluster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Revoking a certificate on a running cluster (the CA's revocation list rewritten, as {@code raftfs
 * admin cert revoke} does; no process restarted): within the re-read period the masters refuse the
 * revoked data node's reports, on a connection made before as on a new one, clients refuse to read
 * from it, and the Raft port refuses a revoked master's certificate. The others go on.
 */
@Timeout(180)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RevocationTest {
  private static final Duration EXCHANGE = Duration.ofSeconds(10);
  private static final Duration REREAD = RevocationList.RECHECK.multipliedBy(10);
  private static final byte[] DATA = "revoked nodes serve nothing".getBytes(StandardCharsets.UTF_8);

  @RegisterExtension
  static final MiniRaftfsCluster cluster =
      MiniRaftfsCluster.builder().dataNodes(2).tls(true).build();

  @Test
  @Order(1)
  void aRevokedDataNodeCanNeitherReportNorServe() throws Exception {
    try (FileSystemClient client = cluster.newClient()) {
      client.put(
          new ByteArrayInputStream(DATA),
          "/f",
          new PutOptions(2, 1 << 20, false),
          TransferListener.NONE);
    }
    LocatedBlock block;
    try (FileSystemClient client = cluster.newClient()) {
      block = client.locate("/f").getBlocks(0);
    }
    DataNode victim = cluster.dataNodes().node(1);
    DataNodeAddress replica =
        block.getReplicasList().stream()
            .filter(r -> r.getNodeId().equals(victim.nodeId()))
            .findFirst()
            .orElseThrow();
    TlsFiles files = cluster.certificates().dataNode(victim.nodeId());
    String master = cluster.masterAddresses().get(0);
    ClientTls asVictim = new ClientTls(files.load(), NodeName.Role.MASTER);
    try (HttpConnectionPool kept =
        new HttpConnectionPool(EXCHANGE, Duration.ofMinutes(5), asVictim)) {
      assertEquals(200, heartbeat(kept, master, victim).status(), "before the revocation");

      cluster.certificates().revoke(files);

      Answer refused =
          Await.until(
              REREAD,
              "the master to refuse the revoked node's heartbeat on its kept-alive connection",
              () -> heartbeat(kept, master, victim),
              answer -> answer.status() == 403);
      assertTrue(refused.text().contains("was revoked at"), refused.text());
      assertTrue(refused.text().contains("datanode " + victim.nodeId()), refused.text());
    }
    // A new connection fails its handshake, or, resuming a TLS session made within the re-read
    // period before the revocation (which skips the certificate), its report is refused.
    try (HttpConnectionPool fresh = new HttpConnectionPool(EXCHANGE, EXCHANGE, asVictim)) {
      Answer answer = heartbeat(fresh, master, victim);
      assertTrue(answer.status() == 403 && answer.text().contains("was revoked"), answer::text);
    } catch (UncheckedIOException e) {
      assertTrue(e.getCause() instanceof SSLException, e::toString);
    }

    try (DataNodeClient dataNodes = new DataNodeClient(cluster.clientConfig())) {
      DataNodeException e =
          assertThrows(
              DataNodeException.class,
              () ->
                  dataNodes.getBlock(
                      replica,
                      block.getBlock().getBlockId(),
                      block.getBlock().getLength(),
                      block.getToken(),
                      BlockSink.of(new byte[DATA.length]),
                      n -> {}));
      assertTrue(e.getMessage().contains("was revoked at"), e::getMessage);
    }
    try (FileSystemClient client = cluster.newClient()) {
      ByteArrayOutputStream copy = new ByteArrayOutputStream();
      client.get("/f", copy, TransferListener.NONE);
      assertArrayEquals(DATA, copy.toByteArray(), "read from the other replica");
    }
  }

  @Test
  @Order(2)
  void raftRefusesARevokedMastersCertificate() throws Exception {
    String raft = cluster.masters().master(0).config().self().raftAddress();
    TlsFiles files = cluster.certificates().master("m3");
    TlsIdentity revoked = files.load();
    assertTrue(Http2Greeting.read(revoked, raft) > 0, "taken before the revocation");
    cluster.certificates().revoke(files);
    Await.until(
        REREAD,
        "the Raft port to refuse the revoked master's certificate",
        () -> {
          try {
            Http2Greeting.read(revoked, raft);
            return false;
          } catch (IOException e) {
            return true;
          }
        });
  }

  private record Answer(int status, String text) {}

  private static Answer heartbeat(HttpConnectionPool pool, String master, DataNode node) {
    byte[] body =
        Heartbeat.newBuilder()
            .setNodeId(node.nodeId())
            .setHttpAddress(node.httpAddress())
            .build()
            .toByteArray();
    try (HttpResponse response =
        pool.exchange(
            master,
            EXCHANGE,
            EXCHANGE,
            c ->
                c.send(
                    "POST",
                    "/v1/heartbeat",
                    Map.of("Content-Type", "application/x-protobuf"),
                    new ByteArrayInputStream(body),
                    body.length))) {
      return new Answer(response.status(), response.bodyText(4096));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
