package io.raftfs.meta.operation;

import static io.raftfs.meta.operation.Responses.error;
import static io.raftfs.meta.operation.Responses.ok;
import static io.raftfs.protocol.MetaLimits.MAX_BLOCKS_PER_ALLOCATION;
import static io.raftfs.protocol.MetaLimits.MAX_EXCLUDED_NODES;
import static io.raftfs.protocol.MetaLimits.MAX_REPLICATION;
import static io.raftfs.protocol.MetaLimits.MIN_REPLICATION;

import io.raftfs.auth.BlockTokens;
import io.raftfs.meta.namespace.NamespaceException;
import io.raftfs.meta.namespace.PathNames;
import io.raftfs.meta.placement.BlockPlacement;
import io.raftfs.meta.users.Identity;
import io.raftfs.proto.AllocateBlocksRequest;
import io.raftfs.proto.AllocatedBlocks;
import io.raftfs.proto.BlockInfo;
import io.raftfs.proto.DataNodeAddress;
import io.raftfs.proto.ErrorCode;
import io.raftfs.proto.LocatedBlock;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaResponse;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@code allocate_blocks}: fresh block ids and the data nodes to write them to, served by the
 * leader without a log write: ids from its reserved range ({@link ReserveBlockIds}), nodes from its
 * soft state.
 */
final class AllocateBlocks implements ClientOperation {
  @Override
  public MetaRequest.OpCase requestCase() {
    return MetaRequest.OpCase.ALLOCATE_BLOCKS;
  }

  @Override
  public String metricName() {
    return "allocate_blocks";
  }

  @Override
  public CompletableFuture<MetaResponse> handle(MetaRequest request, MasterContext master)
      throws NamespaceException {
    return handle(request, master, null, Identity.UNSIGNED);
  }

  /** Each placement carries a WRITE token naming its chain, issued to the caller's access key. */
  @Override
  public CompletableFuture<MetaResponse> handle(
      MetaRequest request, MasterContext master, InetAddress caller, Identity identity)
      throws NamespaceException {
    AllocateBlocksRequest allocate = request.getAllocateBlocks();
    validate(allocate, master.blockSizes());
    // No path: placements a client keeps for small files it has not named yet.
    return allocate.getPath().isEmpty()
        ? place(allocate, master, identity.accessKeyId())
        : master.whenAllowed(
            request,
            identity,
            (namespace, accessor) ->
                CommitFile.checkCommit(
                    namespace, accessor, allocate.getPath(), allocate.getOverwrite()),
            () -> place(allocate, master, identity.accessKeyId()));
  }

  /** Cheap bounds, before any id is taken or any state is read. */
  private static void validate(AllocateBlocksRequest request, BlockSizes blockSizes)
      throws NamespaceException {
    String path = request.getPath();
    if (!path.isEmpty()) {
      PathNames.splitNew(path);
    }
    String subject = path.isEmpty() ? "reserve" : path;
    if (request.getCount() < 1 || request.getCount() > MAX_BLOCKS_PER_ALLOCATION) {
      throw NamespaceException.invalidArgument(
          subject, "block count must be 1.." + MAX_BLOCKS_PER_ALLOCATION);
    }
    if (request.getReplication() < MIN_REPLICATION || request.getReplication() > MAX_REPLICATION) {
      throw NamespaceException.invalidArgument(
          subject, "replication must be " + MIN_REPLICATION + ".." + MAX_REPLICATION);
    }
    blockSizes.checkAllocationSize(subject, request.getBlockSize());
    // Each excluded id is compared with every candidate of every placement.
    if (request.getExcludeNodeIdsCount() > MAX_EXCLUDED_NODES) {
      throw NamespaceException.invalidArgument(
          "exclude_node_ids", "more than " + MAX_EXCLUDED_NODES + " nodes");
    }
    for (String nodeId : request.getExcludeNodeIdsList()) {
      Fields.checkId("exclude_node_ids", nodeId);
    }
  }

  private static CompletableFuture<MetaResponse> place(
      AllocateBlocksRequest request, MasterContext master, String accessKeyId) {
    int count = request.getCount();
    return master
        .tokens()
        .ready()
        .thenCompose(ready -> master.blockIds().take(count))
        .handle(
            (first, failure) -> {
              if (failure != null) {
                return master.failed(failure);
              }
              BlockPlacement placement = master.placement();
              AllocatedBlocks.Builder allocated = AllocatedBlocks.newBuilder();
              for (int i = 0; i < count; i++) {
                Optional<List<DataNodeAddress>> nodes =
                    placement.choose(
                        request.getReplication(),
                        request.getBlockSize(),
                        request.getExcludeNodeIdsList());
                if (nodes.isEmpty()) {
                  return error(
                      ErrorCode.NOT_ENOUGH_DATA_NODES,
                      (request.getPath().isEmpty() ? "reserve" : request.getPath())
                          + ": need "
                          + request.getReplication()
                          + " live data nodes with room for a block, "
                          + placement.eligibleCount(
                              request.getBlockSize(), request.getExcludeNodeIdsList())
                          + " available");
                }
                long blockId = first + i;
                String token =
                    master.tokens().sign(blockId, BlockTokens.WRITER, accessKeyId, nodes.get());
                if (token == null) {
                  return error(ErrorCode.UNAVAILABLE, "no block key to sign with yet; retry");
                }
                master
                    .tracker()
                    .placed(blockId, nodes.get().stream().map(DataNodeAddress::getNodeId).toList());
                allocated.addBlocks(
                    LocatedBlock.newBuilder()
                        .setBlock(BlockInfo.newBuilder().setBlockId(blockId))
                        .addAllReplicas(nodes.get())
                        .setToken(token));
              }
              return ok().setAllocated(allocated).build();
            });
  }
}
