package io.raftfs.s3;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;

/** Writes small, complete answers: XML documents, empty answers and S3 errors. */
final class Answers {
  private Answers() {}

  static void xml(S3Request request, int status, String document) {
    xml(request.response(), status, document);
  }

  private static Future<Void> xml(HttpServerResponse response, int status, String document) {
    byte[] bytes = document.getBytes(StandardCharsets.UTF_8);
    response.setStatusCode(status);
    response.putHeader("Content-Type", "application/xml");
    response.putHeader("Content-Length", Integer.toString(bytes.length));
    return response.end(Buffer.buffer(bytes));
  }

  static void empty(S3Request request, int status) {
    HttpServerResponse response = request.response();
    response.setStatusCode(status);
    if (!response.headers().contains("Content-Length")) {
      response.putHeader("Content-Length", "0");
    }
    response.end();
  }

  /**
   * The error as S3's XML document; a HEAD answer carries only the status, as S3's does.
   *
   * @param close the connection to end after the answer, or null: the client still holds a body
   *     back (it awaits a 100 Continue that will not come), and anything it sent next on the
   *     connection would be read as that body
   */
  static void error(
      HttpServerResponse response,
      String method,
      String resource,
      S3Exception e,
      String requestId,
      HttpConnection close) {
    if (response.headWritten()) {
      // Headers and part of an object went out already: only a broken connection tells the client.
      response.reset();
      return;
    }
    response.headers().clear();
    response.putHeader("x-amz-request-id", requestId);
    if (close != null) {
      response.putHeader("Connection", "close");
    }
    Future<Void> sent =
        method.equals("HEAD")
            ? response.setStatusCode(e.status()).putHeader("Content-Length", "0").end()
            : xml(response, e.status(), S3Xml.error(e, resource, requestId));
    if (close != null) {
      sent.onComplete(done -> close.close());
    }
  }
}
