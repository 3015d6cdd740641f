package io.raftfs.meta.server;

import io.raftfs.meta.config.MasterConfig;
import io.raftfs.meta.config.PeerAddress;
import io.raftfs.meta.datanodes.DataNodeTracker;
import io.raftfs.meta.events.ClusterEventLog;
import io.raftfs.meta.gateways.GatewayRegistry;
import io.raftfs.meta.raft.RaftGateway;
import io.raftfs.meta.repair.ReplicationMonitor;
import io.raftfs.meta.statemachine.MetaStore;
import io.raftfs.proto.ClusterStatus;
import io.raftfs.proto.DataNodeStatus;
import io.raftfs.proto.Heartbeat;
import io.raftfs.proto.MasterStatus;
import io.raftfs.proto.RegisterDataNodeRequest;
import io.raftfs.tls.TlsIdentity;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import org.apache.ratis.server.DivisionInfo;

/**
 * Builds the cluster's status as this master sees it: its own Raft state, every other master's
 * (asked over HTTP, {@code GET /v1/self}, UNREACHABLE when it does not answer in time), and every
 * registered data node with what its heartbeats said, and (the leader only) the S3 gateways that
 * reported lately. Any master answers, so the view survives the leader's death.
 */
final class ClusterStatusCollector {
  private static final Duration PEER_TIMEOUT = Duration.ofMillis(500);

  private final MasterConfig config;
  private final RaftGateway raft;
  private final MetaStore store;
  private final DataNodeTracker tracker;
  private final ReplicationMonitor monitor;
  private final ClusterEventLog events;
  private final GatewayRegistry gateways;
  private final HttpClient http;
  private final String scheme;
  private final Set<String> peerOrigins;

  ClusterStatusCollector(
      MasterConfig config,
      RaftGateway raft,
      MetaStore store,
      DataNodeTracker tracker,
      ReplicationMonitor monitor,
      ClusterEventLog events,
      GatewayRegistry gateways,
      Executor executor,
      TlsIdentity tls) {
    this.monitor = monitor;
    this.events = events;
    this.gateways = gateways;
    this.config = config;
    this.raft = raft;
    this.store = store;
    this.tracker = tracker;
    this.scheme = tls == null ? "http://" : "https://";
    this.peerOrigins =
        config.peers().stream()
            .map(peer -> scheme + peer.httpAddress())
            .collect(Collectors.toUnmodifiableSet());
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(PEER_TIMEOUT)
            .executor(executor);
    if (tls != null) {
      // Trusts the cluster's CA only, and checks each peer's host name as any HTTPS client.
      builder.sslContext(tls.sslContext());
    }
    this.http = builder.build();
  }

  /** The origins of pages served by this cluster's masters: {@code http(s)://host:port}. */
  Set<String> peerOrigins() {
    return peerOrigins;
  }

  MasterStatus self() {
    PeerAddress self = config.self();
    DivisionInfo info = raft.info();
    return MasterStatus.newBuilder()
        .setId(self.id())
        .setRaftAddress(self.raftAddress())
        .setHttpAddress(self.httpAddress())
        .setRole(info.getCurrentRole().name())
        .setTerm(info.getCurrentTerm())
        .setCommitIndex(raft.commitIndex())
        .setAppliedIndex(info.getLastAppliedIndex())
        .build();
  }

  CompletableFuture<ClusterStatus> collect() {
    List<CompletableFuture<MasterStatus>> masters = new ArrayList<>();
    for (PeerAddress peer : config.peers()) {
      masters.add(
          peer.id().equals(config.id())
              ? CompletableFuture.completedFuture(self())
              : askPeer(peer));
    }
    return CompletableFuture.allOf(masters.toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              String leader = raft.leaderId();
              ReplicationMonitor.Summary repair = monitor.summary();
              ClusterStatus.Builder status =
                  ClusterStatus.newBuilder()
                      .setLeaderId(leader == null ? "" : leader)
                      .setFiles(store.files())
                      .setDirectories(store.directories())
                      .setBlocks(store.blocks())
                      .setBytes(store.bytes())
                      .setUnderReplicatedBlocks(repair.underReplicated())
                      .setMissingBlocks(repair.missing())
                      .setCorruptReplicas(repair.corruptReplicas())
                      .setPendingCopies(repair.pendingCopies());
              masters.forEach(master -> status.addMasters(master.join()));
              dataNodes(repair).forEach(status::addDataNodes);
              // Gateways report to the leader; a master that lost the lead may still hold some.
              if (raft.info().isLeader()) {
                status.addAllGateways(gateways.live());
              }
              status
                  .addAllEvents(events.snapshot())
                  .setTimeMillis(System.currentTimeMillis())
                  .setAnsweredBy(config.id());
              return status.build();
            });
  }

  private CompletableFuture<MasterStatus> askPeer(PeerAddress peer) {
    MasterStatus unreachable =
        MasterStatus.newBuilder()
            .setId(peer.id())
            .setRaftAddress(peer.raftAddress())
            .setHttpAddress(peer.httpAddress())
            .setRole("UNREACHABLE")
            .build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(scheme + peer.httpAddress() + "/v1/self"))
            .timeout(PEER_TIMEOUT)
            .GET()
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .thenApply(
            response -> {
              try {
                return response.statusCode() == 200
                    ? MasterStatus.parseFrom(response.body())
                    : unreachable;
              } catch (Exception e) {
                return unreachable;
              }
            })
        .exceptionally(failure -> unreachable);
  }

  private static String adminState(
      String nodeId, Set<String> draining, ReplicationMonitor.Summary repair) {
    if (!draining.contains(nodeId)) {
      return "IN_SERVICE";
    }
    Long remaining = repair.blocksToDrain().get(nodeId);
    return remaining != null && remaining == 0 ? "DECOMMISSIONED" : "DECOMMISSIONING";
  }

  private List<DataNodeStatus> dataNodes(ReplicationMonitor.Summary repair) {
    List<DataNodeStatus> nodes = new ArrayList<>();
    long now = System.currentTimeMillis();
    Set<String> draining = store.decommissioning();
    for (RegisterDataNodeRequest registered : store.dataNodes()) {
      DataNodeStatus.Builder node =
          DataNodeStatus.newBuilder()
              .setNodeId(registered.getNodeId())
              .setHttpAddress(registered.getHttpAddress())
              .setCapacityBytes(registered.getCapacityBytes())
              .setAlive(tracker.isAlive(registered.getNodeId()))
              .setAdminState(adminState(registered.getNodeId(), draining, repair));
      if (draining.contains(registered.getNodeId())) {
        node.setBlocksToDrain(repair.blocksToDrain().getOrDefault(registered.getNodeId(), 0L));
      }
      tracker.allNodes().stream()
          .filter(state -> state.nodeId.equals(registered.getNodeId()) && state.heartbeat() != null)
          .findFirst()
          .ifPresent(
              state -> {
                Heartbeat heartbeat = state.heartbeat();
                node.setHttpAddress(heartbeat.getHttpAddress())
                    .setCapacityBytes(heartbeat.getCapacityBytes())
                    .setUsedBytes(heartbeat.getUsedBytes())
                    .setFreeBytes(heartbeat.getFreeBytes())
                    .setBlockCount(heartbeat.getBlockCount())
                    .setLastHeartbeatMillis(now - tracker.millisSinceHeartbeat(state));
              });
      nodes.add(node.build());
    }
    return nodes;
  }
}
