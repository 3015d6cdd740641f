package io.raftfs.s3.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A response body written from a worker thread: bytes gather into chunks, and each chunk waits
 * until the one before it reached the socket, so a slow reader holds at most two chunks here.
 */
public final class ResponseBodyStream extends OutputStream {
  private static final int CHUNK = 256 << 10;

  private final HttpServerResponse response;
  private final Duration stallTimeout;
  private Buffer pending = Buffer.buffer(CHUNK);
  private Future<Void> previous = Future.succeededFuture();

  public ResponseBodyStream(HttpServerResponse response, Duration stallTimeout) {
    this.response = response;
    this.stallTimeout = stallTimeout;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    while (length > 0) {
      int count = Math.min(length, CHUNK - pending.length());
      pending.appendBytes(bytes, offset, count);
      offset += count;
      length -= count;
      if (pending.length() == CHUNK) {
        send();
      }
    }
  }

  @Override
  public void flush() throws IOException {
    if (pending.length() > 0) {
      send();
    }
  }

  /** Sends what is left and ends the response. */
  @Override
  public void close() throws IOException {
    flush();
    await(previous);
    await(response.end());
  }

  private void send() throws IOException {
    await(previous);
    previous = response.write(pending);
    pending = Buffer.buffer(CHUNK);
  }

  private void await(Future<Void> write) throws IOException {
    try {
      write
          .toCompletionStage()
          .toCompletableFuture()
          .get(stallTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IOException("the client went away: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("the client read nothing for " + stallTimeout.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while answering");
    }
  }
}
