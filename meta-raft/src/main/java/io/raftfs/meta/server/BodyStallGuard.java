package io.raftfs.meta.server;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * Answers 408 and closes the connection when a request's body brings no byte for {@code timeout}:
 * the body handler keeps what arrived in memory, and without this a client that stops sending would
 * hold it as long as its connection lives. Checked every {@code timeout}, so a stall is noticed
 * within twice that.
 */
final class BodyStallGuard implements Handler<RoutingContext> {
  private final Vertx vertx;
  private final Duration timeout;

  BodyStallGuard(Vertx vertx, Duration timeout) {
    this.vertx = vertx;
    this.timeout = timeout;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (!request.isEnded()) {
      long[] lastBytesRead = {request.bytesRead()};
      long guard =
          vertx.setPeriodic(
              timeout.toMillis(),
              timer -> {
                long bytesRead = request.bytesRead();
                if (request.isEnded() || ctx.response().ended() || ctx.response().closed()) {
                  vertx.cancelTimer(timer);
                } else if (bytesRead == lastBytesRead[0]) {
                  vertx.cancelTimer(timer);
                  ctx.response()
                      .setStatusCode(408)
                      .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
                      .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                      .end(
                          new JsonObject()
                              .put(
                                  "error", "request body stalled for " + timeout.toMillis() + " ms")
                              .encode())
                      .onComplete(v -> request.connection().close());
                } else {
                  lastBytesRead[0] = bytesRead;
                }
              });
      // Gone with the answer: otherwise every request left a timer behind for a whole period.
      ctx.addEndHandler(ended -> vertx.cancelTimer(guard));
    }
    ctx.next();
  }
}
