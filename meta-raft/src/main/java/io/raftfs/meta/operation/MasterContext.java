package io.raftfs.meta.operation;

import io.raftfs.auth.EndUserProofVerifier;
import io.raftfs.meta.auth.BlockTokenIssuer;
import io.raftfs.meta.config.MasterConfigKeys;
import io.raftfs.meta.datanodes.DataNodeTracker;
import io.raftfs.meta.datanodes.RegisteredNodeCheck;
import io.raftfs.meta.gateways.GatewayRegistry;
import io.raftfs.meta.namespace.NamespaceException;
import io.raftfs.meta.placement.BlockIdPool;
import io.raftfs.meta.placement.BlockPlacement;
import io.raftfs.meta.raft.ReadBarrier;
import io.raftfs.meta.raft.WriteBatcher;
import io.raftfs.meta.statemachine.MetaStore;
import io.raftfs.meta.users.Identity;
import io.raftfs.meta.users.UserKey;
import io.raftfs.proto.ClusterStatus;
import io.raftfs.proto.ErrorCode;
import io.raftfs.proto.LoggedWrite;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaResponse;
import io.raftfs.proto.UserInfo;
import java.security.GeneralSecurityException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/** What a {@link ClientOperation} may use of the master it runs on. */
public final class MasterContext {
  private final MetaStore store;
  private final WriteBatcher writes;
  private final ReadBarrier reads;
  private final DataNodeTracker tracker;
  private final BlockPlacement placement;
  private final BlockIdPool blockIds;
  private final RegisteredNodeCheck registeredNodes;
  private final Function<Throwable, MetaResponse> failed;
  private final Supplier<CompletableFuture<ClusterStatus>> clusterStatus;
  private final BlockSizes blockSizes;
  private final BlockTokenIssuer tokens;
  private final UserKey userKey;
  private final EndUserProofVerifier endUserProofs;
  private final GatewayRegistry gateways;

  /** A context whose master issues no block tokens and has no user key. */
  public MasterContext(
      MetaStore store,
      WriteBatcher writes,
      ReadBarrier reads,
      DataNodeTracker tracker,
      BlockPlacement placement,
      BlockIdPool blockIds,
      RegisteredNodeCheck registeredNodes,
      Function<Throwable, MetaResponse> failed,
      Supplier<CompletableFuture<ClusterStatus>> clusterStatus,
      BlockSizes blockSizes) {
    this(
        store,
        writes,
        reads,
        tracker,
        placement,
        blockIds,
        registeredNodes,
        failed,
        clusterStatus,
        blockSizes,
        BlockTokenIssuer.disabled(),
        null,
        null,
        new GatewayRegistry(
            MasterConfigKeys.S3_GATEWAYS_MAX.defaultValue(),
            MasterConfigKeys.S3_GATEWAY_EXPIRY.defaultValue().toMillis()));
  }

  /**
   * @param failed the answer for a request whose Raft round failed
   * @param clusterStatus the cluster as this master sees it
   * @param blockSizes the block sizes this master accepts
   * @param tokens signs the block tokens of placements and locations
   * @param userKey seals and opens users' secret keys; null if this master has none (then users
   *     cannot be added)
   * @param endUserProofs checks S3 clients' proofs and derives their signing keys; null when the
   *     masters run without auth
   * @param gateways the S3 gateways that reported to this master
   */
  public MasterContext(
      MetaStore store,
      WriteBatcher writes,
      ReadBarrier reads,
      DataNodeTracker tracker,
      BlockPlacement placement,
      BlockIdPool blockIds,
      RegisteredNodeCheck registeredNodes,
      Function<Throwable, MetaResponse> failed,
      Supplier<CompletableFuture<ClusterStatus>> clusterStatus,
      BlockSizes blockSizes,
      BlockTokenIssuer tokens,
      UserKey userKey,
      EndUserProofVerifier endUserProofs,
      GatewayRegistry gateways) {
    this.store = store;
    this.writes = writes;
    this.reads = reads;
    this.tracker = tracker;
    this.placement = placement;
    this.blockIds = blockIds;
    this.registeredNodes = registeredNodes;
    this.failed = failed;
    this.clusterStatus = clusterStatus;
    this.blockSizes = blockSizes;
    this.tokens = tokens;
    this.userKey = userKey;
    this.endUserProofs = endUserProofs;
    this.gateways = gateways;
  }

  GatewayRegistry gateways() {
    return gateways;
  }

  /** The verifier of end users' S3 proofs; null when the masters run without auth. */
  EndUserProofVerifier endUserProofs() {
    return endUserProofs;
  }

  BlockTokenIssuer tokens() {
    return tokens;
  }

  /**
   * The masters' user key.
   *
   * @throws NamespaceException if this master has none
   */
  UserKey userKey(String subject) throws NamespaceException {
    if (userKey == null) {
      throw NamespaceException.invalidArgument(
          subject,
          "this master has no user key (raftfs.master.auth.user.key.file), so it keeps no users");
    }
    return userKey;
  }

  /**
   * Refuses {@code identity} unless it is a superuser, as the applied state says now (every replica
   * checks the logged caller again on apply).
   *
   * @throws NamespaceException PERMISSION_DENIED naming {@code operation}
   */
  void requireSuperuser(Identity identity, String operation) throws NamespaceException {
    // Unsigned is the superuser (Identity.UNSIGNED): no state to read.
    if (!identity.user().isEmpty() && !store.isSuperuser(identity.user())) {
      throw NamespaceException.permissionDenied(operation);
    }
  }

  /**
   * The answer to a write that made a secret key, for the client: the secret opened from the sealed
   * form that the log and the dedup table keep (a retry is answered from the dedup table the same
   * way), which never leaves the leader.
   */
  MetaResponse revealSecret(MetaResponse answer) {
    if (!answer.hasUser() || answer.getUser().getSealedSecret().isEmpty()) {
      return answer;
    }
    UserInfo user = answer.getUser();
    if (userKey == null) {
      return Responses.error(
          ErrorCode.INTERNAL, user.getName() + ": this master has no user key to open the secret");
    }
    try {
      String secret = userKey.open(user.getName(), user.getSealedSecret().toByteArray());
      return answer.toBuilder()
          .setUser(user.toBuilder().clearSealedSecret().setSecretKey(secret))
          .build();
    } catch (GeneralSecurityException e) {
      return Responses.error(
          ErrorCode.INTERNAL,
          user.getName() + ": the secret key does not open with this master's user key");
    }
  }

  MetaStore store() {
    return store;
  }

  DataNodeTracker tracker() {
    return tracker;
  }

  BlockPlacement placement() {
    return placement;
  }

  BlockSizes blockSizes() {
    return blockSizes;
  }

  BlockIdPool blockIds() {
    return blockIds;
  }

  RegisteredNodeCheck registeredNodes() {
    return registeredNodes;
  }

  CompletableFuture<ClusterStatus> clusterStatus() {
    return clusterStatus.get();
  }

  MetaResponse failed(Throwable failure) {
    return failed.apply(failure);
  }

  /** Batches the write into the log; completes with its answer once applied here. */
  CompletableFuture<MetaResponse> log(LoggedWrite write) {
    return writes.submit(write);
  }

  /**
   * Answers {@code request} of {@code identity} with {@code query} once a read barrier sent after
   * this call passed.
   */
  CompletableFuture<MetaResponse> read(
      MetaRequest request, Identity identity, MetaStore.Query query) {
    return reads
        .await()
        .handle(
            (passed, failure) ->
                failure == null ? store.read(request, identity.user(), query) : failed(failure));
  }

  /** Answers with {@code answer} once a read barrier sent after this call passed. */
  CompletableFuture<MetaResponse> afterReadBarrier(Supplier<MetaResponse> answer) {
    return reads
        .await()
        .handle((passed, failure) -> failure == null ? answer.get() : failed(failure));
  }

  /**
   * Runs {@code then} if the state lets {@code call} of {@code identity} pass {@code check} now
   * (permissions; whether a file could be committed). Only a refusal waits for a read barrier, and
   * is answered only if the state after it still refuses: a deposed leader that does not know it
   * yet must not refuse from stale state.
   */
  CompletableFuture<MetaResponse> whenAllowed(
      MetaRequest call,
      Identity identity,
      MetaStore.Check check,
      Supplier<CompletableFuture<MetaResponse>> then) {
    try {
      store.checkBeforeLog(identity.accessKeyId(), identity.user(), call, check);
      return then.get();
    } catch (NamespaceException unconfirmed) {
      return reads
          .await()
          .handle((passed, failure) -> failure)
          .thenCompose(
              failure -> {
                if (failure != null) {
                  return Responses.done(failed(failure));
                }
                try {
                  store.checkBeforeLog(identity.accessKeyId(), identity.user(), call, check);
                } catch (NamespaceException confirmed) {
                  return Responses.done(Responses.error(confirmed.code(), confirmed.getMessage()));
                }
                return then.get();
              });
    }
  }
}
