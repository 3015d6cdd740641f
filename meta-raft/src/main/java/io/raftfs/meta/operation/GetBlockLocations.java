package io.raftfs.meta.operation;

import static io.raftfs.meta.operation.Responses.ok;

import io.raftfs.auth.BlockTokens;
import io.raftfs.meta.auth.BlockTokenIssuer;
import io.raftfs.meta.datanodes.DataNodeTracker;
import io.raftfs.meta.namespace.Accessor;
import io.raftfs.meta.namespace.Namespace;
import io.raftfs.meta.namespace.NamespaceException;
import io.raftfs.meta.statemachine.MetaStore;
import io.raftfs.meta.users.Identity;
import io.raftfs.proto.BlockInfo;
import io.raftfs.proto.BlockLocations;
import io.raftfs.proto.ErrorCode;
import io.raftfs.proto.LocatedBlock;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaResponse;
import java.net.InetAddress;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code get_block_locations}: a file's blocks from the replicated state, with the live replicas of
 * each from the leader's soft state.
 */
final class GetBlockLocations implements ClientOperation, MetaStore.Query {
  @Override
  public MetaRequest.OpCase requestCase() {
    return MetaRequest.OpCase.GET_BLOCK_LOCATIONS;
  }

  @Override
  public String metricName() {
    return "get_block_locations";
  }

  @Override
  public CompletableFuture<MetaResponse> handle(MetaRequest request, MasterContext master) {
    return handle(request, master, null, Identity.UNSIGNED);
  }

  /** Each block carries a READ token issued to the caller's access key. */
  @Override
  public CompletableFuture<MetaResponse> handle(
      MetaRequest request, MasterContext master, InetAddress caller, Identity identity) {
    DataNodeTracker tracker = master.tracker();
    BlockTokenIssuer tokens = master.tokens();
    return tokens
        .ready()
        .thenCompose(ready -> master.read(request, identity, this))
        .thenApply(response -> withReplicas(response, tracker, tokens, identity.accessKeyId()));
  }

  @Override
  public MetaResponse answer(MetaRequest request, Namespace namespace, Accessor caller)
      throws NamespaceException {
    String path = request.getGetBlockLocations().getPath();
    namespace.permissions(caller).checkRead(path);
    BlockLocations.Builder locations = BlockLocations.newBuilder().setStatus(namespace.stat(path));
    long offset = 0;
    for (BlockInfo block : namespace.blocks(path)) {
      locations.addBlocks(LocatedBlock.newBuilder().setBlock(block).setOffset(offset));
      offset += block.getLength();
    }
    return ok().setLocations(locations).build();
  }

  private static MetaResponse withReplicas(
      MetaResponse response, DataNodeTracker tracker, BlockTokenIssuer tokens, String accessKeyId) {
    if (response.getError() != ErrorCode.OK) {
      return response;
    }
    BlockLocations.Builder locations = response.getLocations().toBuilder();
    for (LocatedBlock.Builder block : locations.getBlocksBuilderList()) {
      long blockId = block.getBlock().getBlockId();
      block.addAllReplicas(tracker.replicasOf(blockId));
      // Good on the replicas located only: a token replayed to another node is refused there.
      String token =
          tokens.sign(blockId, Set.of(BlockTokens.Op.READ), accessKeyId, block.getReplicasList());
      if (token == null) {
        return Responses.error(ErrorCode.UNAVAILABLE, "no block key to sign with yet; retry");
      }
      block.setToken(token);
    }
    return response.toBuilder().setLocations(locations).build();
  }
}
