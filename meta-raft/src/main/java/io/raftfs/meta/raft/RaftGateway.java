package io.raftfs.meta.raft;

import io.raftfs.meta.config.MasterConfig;
import io.raftfs.meta.config.PeerAddress;
import io.raftfs.meta.statemachine.MetaStateMachine;
import io.raftfs.proto.MetaBatch;
import io.raftfs.proto.MetaBatchResult;
import io.raftfs.tls.TlsIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.X509ExtendedTrustManager;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.LeaderElectionManagementRequest;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.TransferLeadershipRequest;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;

/**
 * The master's one Ratis server and the two things the rest of the master asks of it: append a
 * batch ({@link #submit}) and pass a linearizable read barrier ({@link #readBarrier}). Requests go
 * straight into the local server, without a gRPC hop; on a follower they fail with Ratis' {@code
 * NotLeaderException}, which callers turn into {@code NOT_LEADER}.
 *
 * <p>Ratis settings that differ from its defaults, and why (see DESIGN.md, "Using Ratis well"):
 * linearizable reads with a leader lease; automatic snapshots and log purge; a 1 s step-down wait;
 * election timeouts from the config.
 */
public final class RaftGateway implements AutoCloseable {
  private final MasterConfig config;
  private final MetaStateMachine stateMachine;
  private final RaftGroupId groupId;
  private final RaftPeerId selfId;
  private final ClientId clientId = ClientId.randomId();
  private final AtomicLong callIds = new AtomicLong();
  private final long requestTimeoutMs;
  // Replies complete on Ratis' own threads (the state machine updater among them). Whatever the
  // caller chains on them, such as sending the next batch, must not run there: the updater would
  // wait on itself and the leader would stop applying.
  private final Executor replies;
  private final TlsIdentity tls; // null: plaintext Raft
  // Built by start(): building the Ratis server already takes its storage directory.
  private volatile RaftServer server;

  /**
   * A gateway for this master's Ratis server, which {@link #start} builds and starts. Replies to
   * {@link #submit} and {@link #readBarrier} complete on {@code replies}.
   */
  public RaftGateway(
      MasterConfig config, MetaStateMachine stateMachine, Executor replies, TlsIdentity tls) {
    this.tls = tls;
    this.config = config;
    this.stateMachine = stateMachine;
    this.groupId =
        RaftGroupId.valueOf(
            UUID.nameUUIDFromBytes(config.clusterId().getBytes(StandardCharsets.UTF_8)));
    this.selfId = RaftPeerId.valueOf(config.id());
    this.requestTimeoutMs = config.raftRequestTimeoutMs();
    this.replies = replies;
  }

  /** Builds and starts the Ratis server; recovers its storage if it has any. */
  public void start() throws IOException {
    List<RaftPeer> peers =
        config.peers().stream()
            .map(
                peer ->
                    RaftPeer.newBuilder().setId(peer.id()).setAddress(peer.raftAddress()).build())
            .toList();
    Files.createDirectories(config.storageDir());
    boolean hasStorage =
        Files.isDirectory(config.storageDir().resolve(groupId.getUuid().toString()));
    RaftServer built =
        RaftServer.newBuilder()
            .setServerId(selfId)
            .setGroup(RaftGroup.valueOf(groupId, peers))
            .setProperties(properties(config))
            .setParameters(parameters(tls))
            .setStateMachine(stateMachine)
            .setOption(
                hasStorage ? RaftStorage.StartupOption.RECOVER : RaftStorage.StartupOption.FORMAT)
            .build();
    // Visible before it starts: Ratis may tell the state machine of a leader while starting.
    server = built;
    try {
      built.start();
    } catch (IOException | RuntimeException e) {
      server = null;
      built.close();
      throw e;
    }
  }

  /**
   * Over TLS, Raft between masters uses mutual TLS (gRPC's, as Ozone sets it up): each end proves
   * itself with its master certificate and takes only master certificates from the cluster's CA.
   */
  private static Parameters parameters(TlsIdentity tls) {
    Parameters parameters = new Parameters();
    if (tls != null) {
      GrpcConfigKeys.TLS.setConf(
          parameters,
          new GrpcTlsConfig(
              tls.keyManager().orElseThrow(),
              new MasterOnlyTrust((X509ExtendedTrustManager) tls.trustManager()),
              true));
    }
    return parameters;
  }

  private static RaftProperties properties(MasterConfig config) {
    RaftProperties props = new RaftProperties();
    RaftServerConfigKeys.setStorageDir(props, List.of(config.storageDir().toFile()));
    PeerAddress self = config.self();
    GrpcConfigKeys.Server.setPort(props, self.raftPort());
    RaftServerConfigKeys.Read.setOption(props, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    RaftServerConfigKeys.Read.setLeaderLeaseEnabled(props, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(props, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(props, config.snapshotThresholdEntries());
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(props, 2);
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(props, true);
    // The log worker goes on writing entries while the fsync of the previous ones runs; an entry
    // still counts as stored (and is acknowledged) only once its fsync returned. bench/meta:
    // mkdir 4,872 -> 5,166/s, create+commit 5,517 -> 5,736/s.
    RaftServerConfigKeys.Log.setAsyncFlushEnabled(props, true);
    RaftServerConfigKeys.Rpc.setTimeoutMin(
        props, TimeDuration.valueOf(config.electionTimeoutMinMs(), TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(
        props, TimeDuration.valueOf(config.electionTimeoutMaxMs(), TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.LeaderElection.setLeaderStepDownWaitTime(
        props, TimeDuration.valueOf(config.stepDownWaitMs(), TimeUnit.MILLISECONDS));
    config.ratisOverrides().forEach(props::set);
    return props;
  }

  /** Appends one batch; completes once it is committed on a majority and applied here. */
  public CompletableFuture<MetaBatchResult> submit(MetaBatch batch) {
    return send(
            Message.valueOf(ByteString.copyFrom(batch.toByteArray())),
            RaftClientRequest.writeRequestType())
        .thenApply(
            reply -> {
              try {
                return MetaBatchResult.parseFrom(reply.getMessage().getContent().toByteArray());
              } catch (IOException e) {
                throw new CompletionException(e);
              }
            });
  }

  /**
   * Completes once this master is a leader whose applied state includes every write committed
   * before the call: reads that arrived before it may then be served from the local state.
   */
  public CompletableFuture<Void> readBarrier() {
    return send(Message.EMPTY, RaftClientRequest.readRequestType()).thenApply(reply -> null);
  }

  private CompletableFuture<RaftClientReply> send(Message message, RaftClientRequest.Type type) {
    RaftClientRequest request =
        RaftClientRequest.newBuilder()
            .setClientId(clientId)
            .setServerId(selfId)
            .setGroupId(groupId)
            .setCallId(callIds.incrementAndGet())
            .setMessage(message)
            .setType(type)
            .setTimeoutMs(requestTimeoutMs)
            .build();
    CompletableFuture<RaftClientReply> reply;
    try {
      reply = server().submitClientRequestAsync(request);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    return reply
        .orTimeout(requestTimeoutMs, TimeUnit.MILLISECONDS)
        .thenApplyAsync(
            r -> {
              if (!r.isSuccess()) {
                throw new CompletionException(r.getException());
              }
              return r;
            },
            replies);
  }

  public DivisionInfo info() {
    try {
      return server().getDivision(groupId).getInfo();
    } catch (IOException e) {
      throw new IllegalStateException("Raft group " + groupId + " is not on this server", e);
    }
  }

  public long commitIndex() {
    try {
      return server().getDivision(groupId).getRaftLog().getLastCommittedIndex();
    } catch (IOException e) {
      return -1;
    }
  }

  public boolean isLeader() {
    DivisionInfo info = info();
    return info.isLeader() && info.isLeaderReady();
  }

  /** The current leader's id, or null while there is none known. */
  public String leaderId() {
    RaftPeerId leader = info().getLeaderId();
    return leader == null ? null : leader.toString();
  }

  /**
   * The followers as this master sees them while it leads, with how far each has the log and how
   * long since it last replied; empty when it does not lead.
   */
  public List<LeadershipHandover.Follower> followers() {
    DivisionInfo info = info();
    if (!info.isLeader()) {
      return List.of();
    }
    // Both lists come from the leader's log appenders in the same order; one read apart, a
    // configuration change in between could make them differ: then no follower is known.
    List<ServerRpcProto> replies = info.getRoleInfoProto().getLeaderInfo().getFollowerInfoList();
    long[] matched = info.getFollowerMatchIndices();
    if (replies.size() != matched.length) {
      return List.of();
    }
    List<LeadershipHandover.Follower> followers = new ArrayList<>(matched.length);
    for (int i = 0; i < matched.length; i++) {
      followers.add(
          new LeadershipHandover.Follower(
              replies.get(i).getId().getId().toStringUtf8(),
              matched[i],
              replies.get(i).getLastRpcElapsedTimeMs()));
    }
    return followers;
  }

  /**
   * Stops this master from standing for election from now on (it still votes): for a master about
   * to stop, which must not win leadership back while it hands it over.
   */
  public CompletableFuture<Void> stopStandingForElection() {
    try {
      return server()
          .leaderElectionManagementAsync(
              LeaderElectionManagementRequest.newPause(
                  clientId, selfId, groupId, callIds.incrementAndGet()))
          .thenAccept(reply -> {});
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Asks Ratis to hand leadership to {@code peerId}: it stops taking writes, brings that follower
   * up to date and tells it to stand at once. Completes true once that follower leads, false when
   * Ratis refused or gave up (after {@code timeout}).
   */
  public CompletableFuture<Boolean> transferLeadership(String peerId, Duration timeout) {
    TransferLeadershipRequest request =
        new TransferLeadershipRequest(
            clientId,
            selfId,
            groupId,
            callIds.incrementAndGet(),
            RaftPeerId.valueOf(peerId),
            timeout.toMillis());
    try {
      return server().transferLeadershipAsync(request).thenApply(RaftClientReply::isSuccess);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private RaftServer server() {
    RaftServer started = server;
    if (started == null) {
      throw new IllegalStateException("the Raft server of " + selfId + " is not started");
    }
    return started;
  }

  /** Closes the Ratis server, if it started. */
  @Override
  public void close() throws IOException {
    RaftServer started = server;
    if (started != null) {
      started.close();
    }
  }
}
