package io.raftfs.meta.operation;

import io.raftfs.meta.auth.BlockTokenIssuer;
import io.raftfs.meta.datanodes.DataNodeTracker;
import io.raftfs.meta.datanodes.RegisteredNodeCheck;
import io.raftfs.meta.namespace.NamespaceException;
import io.raftfs.meta.placement.BlockIdPool;
import io.raftfs.meta.placement.BlockPlacement;
import io.raftfs.meta.raft.ReadBarrier;
import io.raftfs.meta.raft.WriteBatcher;
import io.raftfs.meta.statemachine.MetaStore;
import io.raftfs.proto.ClusterStatus;
import io.raftfs.proto.LoggedWrite;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaResponse;
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

  /** A context whose master issues no block tokens. */
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
        BlockTokenIssuer.disabled());
  }

  /**
   * @param failed the answer for a request whose Raft round failed
   * @param clusterStatus the cluster as this master sees it
   * @param blockSizes the block sizes this master accepts
   * @param tokens signs the block tokens of placements and locations
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
      BlockTokenIssuer tokens) {
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
  }

  BlockTokenIssuer tokens() {
    return tokens;
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

  /** Answers {@code request} with {@code query} once a read barrier sent after this call passed. */
  CompletableFuture<MetaResponse> read(MetaRequest request, MetaStore.Query query) {
    return reads
        .await()
        .handle(
            (passed, failure) -> failure == null ? store.read(request, query) : failed(failure));
  }

  /** Answers with {@code answer} once a read barrier sent after this call passed. */
  CompletableFuture<MetaResponse> afterReadBarrier(Supplier<MetaResponse> answer) {
    return reads
        .await()
        .handle((passed, failure) -> failure == null ? answer.get() : failed(failure));
  }

  /**
   * Runs {@code then} if a file could be committed at {@code path} for {@code call} now. Only a
   * refusal waits for a read barrier, and is answered only if the state after it still refuses: a
   * deposed leader that does not know it yet must not refuse from stale state.
   */
  CompletableFuture<MetaResponse> whenCommittable(
      MetaRequest call,
      String path,
      boolean overwrite,
      Supplier<CompletableFuture<MetaResponse>> then) {
    try {
      store.checkCommittable(call, path, overwrite);
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
                  store.checkCommittable(call, path, overwrite);
                } catch (NamespaceException confirmed) {
                  return Responses.done(Responses.error(confirmed.code(), confirmed.getMessage()));
                }
                return then.get();
              });
    }
  }
}
