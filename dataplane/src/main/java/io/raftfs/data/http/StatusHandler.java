package io.raftfs.data.http;

import io.raftfs.data.scrub.ScrubStats;
import io.raftfs.data.store.BlockStore;
import io.raftfs.data.store.StoreStats;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/** {@code GET /status}: who this node is, how full it is and what its scrubber found. */
final class StatusHandler implements Handler<RoutingContext> {
  private final String nodeId;
  private final Supplier<String> httpAddress;
  private final BlockStore store;
  private final Supplier<ScrubStats> scrubber;

  StatusHandler(
      String nodeId,
      Supplier<String> httpAddress,
      BlockStore store,
      Supplier<ScrubStats> scrubber) {
    this.nodeId = nodeId;
    this.httpAddress = httpAddress;
    this.store = store;
    this.scrubber = scrubber;
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
    ScrubStats scrub = scrubber.get();
    if (scrub != null) {
      body.put(
          "scrubber",
          new JsonObject()
              .put("bytesPerSecond", scrub.bytesPerSecond())
              .put("periodMs", scrub.periodMillis())
              .put("bytesScanned", scrub.bytesScanned())
              .put("blocksScanned", scrub.blocksScanned())
              .put("corruptFound", scrub.corruptFound())
              .put("passesCompleted", scrub.passesCompleted())
              .put("yields", scrub.yields()));
    }
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.encode());
  }
}
