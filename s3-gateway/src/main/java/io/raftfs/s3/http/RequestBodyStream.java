package io.raftfs.s3.http;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A request body as a blocking stream for a worker thread: the request stays paused and each read
 * that runs out asks for one more buffer, so a slow cluster slows the client instead of filling the
 * gateway's memory. Create it on the request's event loop, before anything is read.
 */
public final class RequestBodyStream extends InputStream {
  private static final Object END = new Object();

  private final HttpServerRequest request;
  private final Context context;
  private final Duration stallTimeout;
  // "Expect: 100-continue": the client waits for a 100 before it sends the body. It is sent when
  // the body is first read, so a request refused before (unsigned, no such bucket) never gets it.
  private boolean awaitsContinue;
  // At most one buffer (the one fetched) plus the end or a failure.
  private final BlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
  private Buffer current;
  private int position;
  private boolean ended;

  public RequestBodyStream(HttpServerRequest request, Context context, Duration stallTimeout) {
    this.request = request;
    this.context = context;
    this.stallTimeout = stallTimeout;
    this.awaitsContinue = "100-continue".equalsIgnoreCase(request.getHeader("Expect"));
    request.pause();
    request.handler(arrived::add);
    request.endHandler(v -> arrived.add(END));
    request.exceptionHandler(arrived::add);
  }

  /** True if the client awaits a 100 Continue before it sends the body, and has not had it. */
  public boolean awaitsContinue() {
    return awaitsContinue;
  }

  /** True once the whole body was read. */
  public boolean ended() {
    return ended;
  }

  /** Lets the rest of an unread body flow in and be dropped, so the connection can be reused. */
  public void discardRest() {
    if (!ended) {
      context.runOnContext(
          v -> {
            request.handler(buffer -> {});
            request.resume();
          });
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] into, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    while (current == null || position == current.length()) {
      if (ended) {
        return -1;
      }
      next();
    }
    int count = Math.min(length, current.length() - position);
    current.getBytes(position, position + count, into, offset);
    position += count;
    return count;
  }

  private void next() throws IOException {
    Object item = arrived.poll();
    if (item == null) {
      if (awaitsContinue) {
        awaitsContinue = false;
        context.runOnContext(v -> request.response().writeContinue());
      }
      context.runOnContext(v -> request.fetch(1));
      try {
        item = arrived.poll(stallTimeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while reading the request body");
      }
    }
    if (item == null) {
      throw new IOException("the request body stalled for " + stallTimeout.toSeconds() + " s");
    }
    if (item == END) {
      ended = true;
    } else if (item instanceof Throwable failure) {
      throw new IOException("the request body failed: " + failure.getMessage(), failure);
    } else {
      current = (Buffer) item;
      position = 0;
    }
  }
}
