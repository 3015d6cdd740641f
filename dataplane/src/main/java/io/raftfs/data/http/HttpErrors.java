package io.raftfs.data.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** Writes every error the same way: a status and a JSON body {@code {"error": "..."}}. */
public final class HttpErrors {
  private HttpErrors() {}

  public static void send(HttpServerResponse response, int status, String message) {
    send(response, status, new JsonObject().put("error", message));
  }

  public static void send(HttpServerResponse response, int status, JsonObject body) {
    if (response.ended() || response.closed() || response.headWritten()) {
      return;
    }
    response.setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
