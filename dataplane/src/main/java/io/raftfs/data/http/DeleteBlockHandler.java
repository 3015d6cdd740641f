package io.raftfs.data.http;

import io.raftfs.data.store.BlockId;
import io.raftfs.data.store.BlockStore;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/** {@code DELETE /blocks/{id}}: 204, or 404 when there is no such block. */
final class DeleteBlockHandler implements Handler<RoutingContext> {
  private final Vertx vertx;
  private final BlockStore store;

  DeleteBlockHandler(Vertx vertx, BlockStore store) {
    this.vertx = vertx;
    this.store = store;
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
