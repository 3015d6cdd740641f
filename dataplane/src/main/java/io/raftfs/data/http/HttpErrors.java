package io.raftfs.data.http;

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
