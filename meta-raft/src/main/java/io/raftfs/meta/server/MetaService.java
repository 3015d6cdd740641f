package io.raftfs.meta.server;

import io.raftfs.meta.config.MasterConfig;
import io.raftfs.meta.config.PeerAddress;
import io.raftfs.meta.datanodes.DataNodeTracker;
import io.raftfs.meta.namespace.Namespace;
import io.raftfs.meta.namespace.NamespaceException;
import io.raftfs.meta.namespace.PathNames;
import io.raftfs.meta.placement.BlockIdPool;
import io.raftfs.meta.placement.BlockPlacement;
import io.raftfs.meta.raft.RaftGateway;
import io.raftfs.meta.raft.ReadBarrier;
import io.raftfs.meta.raft.WriteBatcher;
import io.raftfs.meta.repair.FsckReporter;
import io.raftfs.meta.statemachine.MetaStore;
import io.raftfs.proto.AllocateBlocksRequest;
import io.raftfs.proto.AllocatedBlocks;
import io.raftfs.proto.BlockInfo;
import io.raftfs.proto.BlockLocations;
import io.raftfs.proto.DataNodeAddress;
import io.raftfs.proto.ErrorCode;
import io.raftfs.proto.LocatedBlock;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.apache.ratis.protocol.exceptions.NotLeaderException;

/**
 * Answers {@link MetaRequest}s on a master. Writes are checked for what can be checked without
 * state (path syntax) and then batched into the log; reads wait for a shared read barrier and are
 * served from the local store; block allocation is served by the leader from its id pool and soft
 * state, without a log write. Every other master answers {@code NOT_LEADER} with the leader's HTTP
 * address.
 */
final class MetaService {
  private static final int MAX_BLOCKS_PER_ALLOCATION = 1024;

  private final MasterConfig config;
  private final RaftGateway raft;
  private final MetaStore store;
  private final WriteBatcher writes;
  private final ReadBarrier reads;
  private final DataNodeTracker tracker;
  private final BlockPlacement placement;
  private final BlockIdPool blockIds;
  private final FsckReporter fsck;
  private final Supplier<CompletableFuture<MetaResponse>> clusterStatus;

  MetaService(
      MasterConfig config,
      RaftGateway raft,
      MetaStore store,
      WriteBatcher writes,
      ReadBarrier reads,
      DataNodeTracker tracker,
      BlockPlacement placement,
      BlockIdPool blockIds,
      Supplier<CompletableFuture<MetaResponse>> clusterStatus) {
    this.config = config;
    this.raft = raft;
    this.store = store;
    this.writes = writes;
    this.reads = reads;
    this.tracker = tracker;
    this.placement = placement;
    this.blockIds = blockIds;
    this.fsck = new FsckReporter(store, tracker);
    this.clusterStatus = clusterStatus;
  }

  CompletableFuture<MetaResponse> handle(MetaRequest request) {
    switch (request.getOpCase()) {
      case OP_NOT_SET:
        return done(error(ErrorCode.INVALID_ARGUMENT, "request names no operation"));
      case CLUSTER_STATUS:
        return clusterStatus.get();
      default:
        break;
    }
    if (!raft.isLeader()) {
      return done(notLeader());
    }
    try {
      return switch (request.getOpCase()) {
        case MKDIR -> write(request, request.getMkdir().getPath());
        case DELETE -> write(request, request.getDelete().getPath());
        case RENAME -> {
          PathNames.split(request.getRename().getSource());
          yield write(request, request.getRename().getDestination());
        }
        case COMMIT_FILE ->
            whenCommittable(
                request,
                request.getCommitFile().getPath(),
                request.getCommitFile().getOverwrite(),
                () -> writes.submit(LoggedWrites.of(request)));
        case REGISTER_DATA_NODE, DECOMMISSION -> writes.submit(LoggedWrites.of(request));
        case FSCK -> {
          String path = request.getFsck().getPath();
          PathNames.split(path);
          yield reads
              .await()
              .handle(
                  (passed, failure) -> {
                    if (failure != null) {
                      return failed(failure);
                    }
                    try {
                      return MetaResponse.newBuilder()
                          .setError(ErrorCode.OK)
                          .setFsck(fsck.report(path))
                          .build();
                    } catch (NamespaceException e) {
                      return error(e.code(), e.getMessage());
                    }
                  });
        }
        case STAT, LIST -> read(request);
        case GET_BLOCK_LOCATIONS -> read(request).thenApply(this::withReplicas);
        case ALLOCATE_BLOCKS ->
            // No path: placements a client keeps for small files it has not named yet.
            request.getAllocateBlocks().getPath().isEmpty()
                ? place(request.getAllocateBlocks())
                : whenCommittable(
                    request,
                    request.getAllocateBlocks().getPath(),
                    request.getAllocateBlocks().getOverwrite(),
                    () -> place(request.getAllocateBlocks()));
        case REPORT_BAD_REPLICA -> {
          tracker.markCorrupt(
              request.getReportBadReplica().getBlockId(),
              request.getReportBadReplica().getNodeId());
          yield done(MetaResponse.newBuilder().setError(ErrorCode.OK).build());
        }
        default -> done(error(ErrorCode.INVALID_ARGUMENT, "unknown operation"));
      };
    } catch (NamespaceException e) {
      return done(error(e.code(), e.getMessage()));
    }
  }

  private CompletableFuture<MetaResponse> write(MetaRequest request, String path)
      throws NamespaceException {
    PathNames.split(path);
    return writes.submit(LoggedWrites.of(request));
  }

  private CompletableFuture<MetaResponse> read(MetaRequest request) {
    return reads
        .await()
        .handle((passed, failure) -> failure == null ? store.read(request) : failed(failure));
  }

  private MetaResponse withReplicas(MetaResponse response) {
    if (response.getError() != ErrorCode.OK) {
      return response;
    }
    BlockLocations.Builder locations = response.getLocations().toBuilder();
    for (LocatedBlock.Builder block : locations.getBlocksBuilderList()) {
      block.addAllReplicas(tracker.replicasOf(block.getBlock().getBlockId()));
    }
    return response.toBuilder().setLocations(locations).build();
  }

  /**
   * Runs {@code then} if a file could be committed at {@code path} for {@code call} now. Only a
   * refusal waits for a read barrier, and is answered only if the state after it still refuses: a
   * deposed leader that does not know it yet must not refuse from stale state.
   */
  private CompletableFuture<MetaResponse> whenCommittable(
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
                  return done(failed(failure));
                }
                try {
                  store.checkCommittable(call, path, overwrite);
                } catch (NamespaceException confirmed) {
                  return done(error(confirmed.code(), confirmed.getMessage()));
                }
                return then.get();
              });
    }
  }

  /** Block ids from the leader's reserved range, data nodes from its soft state. */
  private CompletableFuture<MetaResponse> place(AllocateBlocksRequest request) {
    int count = request.getCount();
    int replication = request.getReplication();
    long blockSize = request.getBlockSize();
    if (count < 1 || count > MAX_BLOCKS_PER_ALLOCATION) {
      return done(
          error(
              ErrorCode.INVALID_ARGUMENT,
              request.getPath() + ": block count must be 1.." + MAX_BLOCKS_PER_ALLOCATION));
    }
    if (replication < 1 || replication > Namespace.MAX_REPLICATION) {
      return done(
          error(
              ErrorCode.INVALID_ARGUMENT,
              request.getPath() + ": replication must be 1.." + Namespace.MAX_REPLICATION));
    }
    if (blockSize < 1) {
      return done(
          error(ErrorCode.INVALID_ARGUMENT, request.getPath() + ": block size must be positive"));
    }
    return blockIds
        .take(count)
        .handle(
            (first, failure) -> {
              if (failure != null) {
                return failed(failure);
              }
              AllocatedBlocks.Builder allocated = AllocatedBlocks.newBuilder();
              for (int i = 0; i < count; i++) {
                Optional<List<DataNodeAddress>> nodes =
                    placement.choose(replication, blockSize, request.getExcludeNodeIdsList());
                if (nodes.isEmpty()) {
                  return error(
                      ErrorCode.NOT_ENOUGH_DATA_NODES,
                      (request.getPath().isEmpty() ? "reserve" : request.getPath())
                          + ": need "
                          + replication
                          + " live data nodes with room for a block, "
                          + placement.eligibleCount(blockSize, request.getExcludeNodeIdsList())
                          + " available");
                }
                long blockId = first + i;
                tracker.placed(
                    blockId, nodes.get().stream().map(DataNodeAddress::getNodeId).toList());
                allocated.addBlocks(
                    LocatedBlock.newBuilder()
                        .setBlock(BlockInfo.newBuilder().setBlockId(blockId))
                        .addAllReplicas(nodes.get()));
              }
              return MetaResponse.newBuilder()
                  .setError(ErrorCode.OK)
                  .setAllocated(allocated)
                  .build();
            });
  }

  /** The answer for a request whose Raft round failed. */
  MetaResponse failed(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof NotLeaderException) {
      return notLeader();
    }
    return error(ErrorCode.UNAVAILABLE, "metadata not committed: " + cause);
  }

  private MetaResponse notLeader() {
    String leaderId = raft.leaderId();
    PeerAddress leader = leaderId == null ? null : config.peer(leaderId);
    if (leader == null || leader.id().equals(config.id())) {
      // Elected but not ready, or no leader known: nobody to redirect to yet.
      return error(ErrorCode.UNAVAILABLE, "no leader is ready yet");
    }
    return MetaResponse.newBuilder()
        .setError(ErrorCode.NOT_LEADER)
        .setMessage(config.id() + " is not the leader")
        .setLeaderHint(leader.httpAddress())
        .build();
  }

  private static MetaResponse error(ErrorCode code, String message) {
    return MetaResponse.newBuilder().setError(code).setMessage(message).build();
  }

  private static CompletableFuture<MetaResponse> done(MetaResponse response) {
    return CompletableFuture.completedFuture(response);
  }
}
