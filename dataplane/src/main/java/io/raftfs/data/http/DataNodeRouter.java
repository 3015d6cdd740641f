package io.raftfs.data.http;

import io.raftfs.data.access.BlockAccess;
import io.raftfs.data.replication.ForwardTargets;
import io.raftfs.data.replication.UploadLimits;
import io.raftfs.data.schedule.Scheduler;
import io.raftfs.data.scrub.ScrubStats;
import io.raftfs.data.store.BlockStore;
import io.raftfs.data.tls.NodeClient;
import io.raftfs.data.traffic.ClientTraffic;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * Every route of the data node in one place (docs/protocol.md). Block routes never use a body
 * handler: it would buffer whole blocks in memory.
 */
public final class DataNodeRouter {
  private DataNodeRouter() {}

  /**
   * @param traffic counts the block reads and writes in flight, which background work yields to
   * @param access decides which block requests are served (block access tokens)
   */
  public static Router create(
      Vertx vertx,
      NodeClient client,
      BlockStore store,
      String nodeId,
      Supplier<String> httpAddress,
      Supplier<ScrubStats> scrubber,
      ClientTraffic traffic,
      ForwardTargets forwardTargets,
      BlockAccess access,
      UploadLimits uploadLimits) {
    Router router = Router.router(vertx);
    GetBlockHandler read = new GetBlockHandler(vertx, store, access, httpAddress);
    router.put("/blocks/:id").handler(ctx -> counted(ctx, traffic));
    router.get("/blocks/:id").handler(ctx -> counted(ctx, traffic));
    router
        .put("/blocks/:id")
        .handler(
            new PutBlockHandler(
                vertx,
                client,
                store,
                httpAddress,
                forwardTargets,
                access,
                uploadLimits,
                Scheduler.of(vertx)));
    router.get("/blocks/:id").handler(read);
    router.head("/blocks/:id").handler(read);
    router.delete("/blocks/:id").handler(new DeleteBlockHandler(vertx, store, access, httpAddress));
    // An id with a (decoded) slash in it matches no route above; it is still just a bad id.
    router
        .route("/blocks/*")
        .handler(
            ctx ->
                HttpErrors.send(ctx.request(), 400, "invalid block id in " + ctx.request().path()));
    router.get("/health").handler(ctx -> ctx.response().end("ok"));
    router.get("/status").handler(new StatusHandler(nodeId, httpAddress, store, scrubber));
    router.errorHandler(
        404,
        ctx -> {
          // "/blocks/.." and the like normalise to other paths: still a bad block id.
          boolean blockPath = ctx.request().path().startsWith("/blocks/");
          HttpErrors.send(
              ctx.request(),
              blockPath ? 400 : 404,
              blockPath
                  ? "invalid block id in " + ctx.request().path()
                  : "no route " + ctx.request().method() + " " + ctx.request().path());
        });
    router.errorHandler(
        405,
        ctx ->
            HttpErrors.send(
                ctx.request(),
                405,
                "method " + ctx.request().method() + " not allowed on " + ctx.request().path()));
    router.errorHandler(
        500, ctx -> HttpErrors.send(ctx.request(), 500, "internal error: " + ctx.failure()));
    return router;
  }

  /** Counts a block transfer from here until its answer ends or its connection closes. */
  private static void counted(RoutingContext ctx, ClientTraffic traffic) {
    traffic.began();
    ctx.addEndHandler(done -> traffic.ended());
    ctx.next();
  }
}
