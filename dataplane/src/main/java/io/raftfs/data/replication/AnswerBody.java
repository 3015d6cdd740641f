package io.raftfs.data.replication;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;

/**
 * Reads the answer of another data node, at most {@link #MAX_BYTES}: an answer is a short JSON
 * object, and one that is longer (or never ends) would otherwise grow in this node's memory. Call
 * it as the response head arrives, before body chunks can.
 */
final class AnswerBody {
  /** Far above any real answer: a replica list or an error message. */
  static final int MAX_BYTES = 64 * 1024;

  private AnswerBody() {}

  /**
   * The whole body; fails with an {@link UploadFailure} (502) blaming {@code node} if it passes
   * {@link #MAX_BYTES}, closing the connection so no more is read.
   */
  static Future<Buffer> read(HttpClientResponse response, String node) {
    Promise<Buffer> body = Promise.promise();
    Buffer received = Buffer.buffer();
    response.handler(
        chunk -> {
          if (body.future().isComplete()) {
            return;
          }
          received.appendBuffer(chunk);
          if (received.length() > MAX_BYTES) {
            body.tryFail(
                new UploadFailure(
                    502,
                    "downstream " + node + " answered more than " + MAX_BYTES + " bytes",
                    node));
            // A reset does not end an HTTP/1.1 exchange whose request was sent in full.
            response.request().connection().close();
          }
        });
    response.exceptionHandler(body::tryFail);
    response.endHandler(v -> body.tryComplete(received));
    return body.future();
  }
}
