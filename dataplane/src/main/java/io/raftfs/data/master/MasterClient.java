package io.raftfs.data.master;

import com.google.protobuf.Message;
import io.raftfs.client.meta.MetaClient;
import io.raftfs.client.meta.MetaClientOptions;
import io.raftfs.concurrent.DaemonThreads;
import io.raftfs.http.HttpConnection;
import io.raftfs.http.HttpConnectionPool;
import io.raftfs.http.HttpResponse;
import io.raftfs.proto.BlockReport;
import io.raftfs.proto.BlockReportResponse;
import io.raftfs.proto.Heartbeat;
import io.raftfs.proto.HeartbeatResponse;
import io.raftfs.tls.ClientTls;
import io.raftfs.tls.NodeName;
import io.raftfs.tls.TlsIdentity;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The data node's one client of the masters (docs/protocol.md, "Data node ↔ masters"), on
 * client-core's blocking HTTP transport: registration and bad-replica reports go to the leader
 * through {@link MetaClient}, heartbeats and block reports to each master by name over a pool of
 * the same connections. Calls block; thread-safe.
 *
 * <p>Why this stack and not the node's Vert.x HTTP client: leader calls need what {@link
 * MetaClient} does (follow the leader, retry across failovers with back-off, one call id per call
 * so a retried registration is applied once), which a Vert.x version would duplicate. The calls to
 * every master are small and few; {@link MasterLink} gives each master a thread of its own (as
 * HDFS's {@code BPServiceActor} does), so a master that stalls holds up only its own heartbeats.
 * Vert.x stays where it pays: the block traffic.
 */
public final class MasterClient implements AutoCloseable {
  private static final String PROTOBUF = "application/x-protobuf";

  /** A heartbeat answer carries the leader's commands for this node; far below this. */
  private static final int MAX_ANSWER_BYTES = 16 << 20;

  /** One heartbeat or block report exchange: a silent master costs its link at most this. */
  static final Duration EXCHANGE_TIMEOUT = Duration.ofSeconds(10);

  /** Bounded, so a cluster without a leader delays the next attempt, not the whole node. */
  private static final Duration LEADER_CALL_DEADLINE = Duration.ofSeconds(10);

  private static final Duration MAX_IDLE = Duration.ofSeconds(60);

  private final MetaClient leader;
  private final HttpConnectionPool connections;
  // Cuts off a large full report to a master that stopped reading: a blocked write has no timeout.
  private final ScheduledExecutorService watchdog =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("master-client-watchdog"));

  /**
   * @param masters every master's HTTP address ({@code host:port})
   * @param tls this node's certificate and the CA, so that masters know the node and the node knows
   *     the masters; null for plaintext
   */
  public MasterClient(List<String> masters, TlsIdentity tls) {
    this.leader =
        new MetaClient(
            masters, MetaClientOptions.DEFAULTS.withCallDeadline(LEADER_CALL_DEADLINE), null, tls);
    this.connections =
        new HttpConnectionPool(
            EXCHANGE_TIMEOUT,
            MAX_IDLE,
            tls == null ? null : new ClientTls(tls, NodeName.Role.MASTER));
  }

  public List<String> masters() {
    return leader.masters();
  }

  /**
   * Registers this node with the leader: a logged write, applied once however often it is retried.
   *
   * @throws RuntimeException when no leader took it before the deadline
   */
  public void register(String nodeId, String httpAddress, long capacityBytes) {
    leader.registerDataNode(nodeId, httpAddress, capacityBytes);
  }

  /**
   * Tells the leader a replica on this node failed its checksum.
   *
   * @throws RuntimeException when no leader took it before the deadline
   */
  public void reportBadReplica(long blockId, String nodeId) {
    leader.reportBadReplica(blockId, nodeId);
  }

  /** A heartbeat to one master; every master answers, the leader with commands. */
  HeartbeatResponse heartbeat(String master, Heartbeat heartbeat) throws IOException {
    return HeartbeatResponse.parseFrom(post(master, "/v1/heartbeat", heartbeat));
  }

  /** A full or incremental block report to one master. */
  BlockReportResponse blockReport(String master, BlockReport report) throws IOException {
    return BlockReportResponse.parseFrom(post(master, "/v1/blockreport", report));
  }

  private byte[] post(String master, String path, Message message) throws IOException {
    byte[] body = message.toByteArray();
    try (HttpResponse response =
        connections.exchange(
            master, EXCHANGE_TIMEOUT, EXCHANGE_TIMEOUT, c -> send(c, path, body))) {
      // Read to the end either way, so the connection goes back to the pool.
      byte[] answer = response.bodyBytes(MAX_ANSWER_BYTES);
      if (response.status() != 200) {
        throw new IOException(master + path + " answered " + response.status());
      }
      return answer;
    }
  }

  private void send(HttpConnection connection, String path, byte[] body) throws IOException {
    ScheduledFuture<?> cutOff =
        connection.mayBlockWriting(body.length)
            ? watchdog.schedule(
                connection::close, EXCHANGE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
            : null;
    try {
      connection.send(
          "POST",
          path,
          Map.of("Content-Type", PROTOBUF),
          new ByteArrayInputStream(body),
          body.length);
    } finally {
      if (cutOff != null) {
        cutOff.cancel(false);
      }
    }
  }

  @Override
  public void close() {
    leader.close();
    watchdog.shutdownNow();
    connections.close();
  }
}
