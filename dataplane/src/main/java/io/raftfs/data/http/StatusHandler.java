package io.raftfs.data.http;

import io.raftfs.data.store.BlockStore;
import io.raftfs.data.store.StoreStats;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/** {@code GET /status}: who this node is and how full it is. */
final class StatusHandler implements Handler<RoutingContext> {
  private final String nodeId;
  private final Supplier<String> httpAddress;
  private final BlockStore store;

  StatusHandler(String nodeId, Supplier<String> httpAddress, BlockStore store) {
    this.nodeId = nodeId;
    this.httpAddress = httpAddress;
    this.store = store;
  }

  @Override
  public void handle(RoutingContext ctx) {
    StoreStats stats = store.stats();
    JsonObject body =
        new JsonObject()
            .put("nodeId", nodeId)
            .put("httpAddress", httpAddress.get())
            .put("capacityBytes", stats.capacityBytes())
            .put("usedBytes", stats.usedBytes())
            .put("freeBytes", stats.freeBytes())
            .put("blockCount", stats.blockCount());
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.encode());
  }
}
