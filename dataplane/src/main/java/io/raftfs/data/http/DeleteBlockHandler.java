package io.raftfs.data.http;

import io.raftfs.auth.BlockTokenException;
import io.raftfs.auth.BlockTokens;
import io.raftfs.data.access.BlockAccess;
import io.raftfs.data.store.BlockId;
import io.raftfs.data.store.BlockStore;
import io.raftfs.protocol.DataNodeProtocol;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code DELETE /blocks/{id}}: 204, or 404 when there is no such block. Used by a chain's head to
 * remove what its downstream stored of a failed PUT, with that PUT's token: a DELETE token whose
 * chain names this node ({@link BlockAccess}). Masters delete replicas by heartbeat commands.
 */
final class DeleteBlockHandler implements Handler<RoutingContext> {
  private final Vertx vertx;
  private final BlockStore store;
  private final BlockAccess access;
  private final Supplier<String> selfAddress;

  DeleteBlockHandler(
      Vertx vertx, BlockStore store, BlockAccess access, Supplier<String> selfAddress) {
    this.vertx = vertx;
    this.store = store;
    this.access = access;
    this.selfAddress = selfAddress;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long blockId;
    try {
      blockId = BlockId.parse(ctx.pathParam("id"));
    } catch (IllegalArgumentException e) {
      HttpErrors.send(ctx.request(), 400, e.getMessage());
      return;
    }
    try {
      access.check(
          ctx.request().getHeader(DataNodeProtocol.BLOCK_TOKEN),
          blockId,
          BlockTokens.Op.DELETE,
          List.of(selfAddress.get()));
    } catch (BlockTokenException e) {
      HttpErrors.send(ctx.request(), e.status(), e.getMessage());
      return;
    }
    vertx
        .executeBlocking(() -> store.delete(blockId), false)
        .onSuccess(
            deleted -> {
              if (deleted) {
                ctx.response().setStatusCode(204).end();
              } else {
                HttpErrors.send(ctx.request(), 404, "no block " + BlockId.format(blockId));
              }
            })
        .onFailure(e -> HttpErrors.send(ctx.request(), 500, "delete failed: " + e));
  }
}
