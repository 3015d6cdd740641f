package io.raftfs.data.http;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.raftfs.protocol.OneLine;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** Writes every error the same way: a status and a JSON body {@code {"error": "..."}}. */
public final class HttpErrors {
  private HttpErrors() {}

  public static void send(HttpServerRequest request, int status, String message) {
    send(request, status, new JsonObject().put("error", message));
  }

  /**
   * A request Netty could not parse (a bad request line, a line or headers over its limits): the
   * status Vert.x' own handler sends, with a message, and the connection is closed, as where the
   * next request would start is unknown.
   */
  public static void malformed(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status =
        cause instanceof TooLongHttpLineException
            ? 414
            : cause instanceof TooLongHttpHeaderException ? 431 : 400;
    request.response().putHeader(HttpHeaders.CONNECTION, "close");
    send(
        request,
        status,
        "malformed request: " + OneLine.of(String.valueOf(cause.getMessage()), OneLine.MAX_CHARS));
    request.connection().close();
  }

  /** Does nothing if the answer is already (being) sent or the connection is gone. */
  public static void send(HttpServerRequest request, int status, JsonObject body) {
    HttpServerResponse response = request.response();
    if (response.ended() || response.closed() || response.headWritten()) {
      return;
    }
    response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    if (request.method() == HttpMethod.HEAD) {
      // A HEAD answer carrying a body would be read as the start of the next answer.
      response.end();
    } else {
      response.end(body.encode());
    }
  }
}
