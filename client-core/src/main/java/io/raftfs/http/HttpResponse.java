package io.raftfs.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * The answer to one request on an {@link HttpConnection}: status, headers and a body stream framed
 * by {@code Content-Length} or chunked encoding. Closing it after the whole body was read returns
 * the connection to its pool (unless the node said {@code Connection: close}); closing it earlier
 * closes the connection, whose rest of the body nobody will read.
 */
public final class HttpResponse implements AutoCloseable {
  private final HttpConnection connection;
  private final int status;
  private final Map<String, String> headers;
  private final BodyStream body;
  private boolean closed;

  HttpResponse(HttpConnection connection, int status, Map<String, String> headers)
      throws IOException {
    this.connection = connection;
    this.status = status;
    this.headers = headers;
    this.body = bodyOf(connection, status, headers);
  }

  public int status() {
    return status;
  }

  /** A header's value, the name in any case; null when absent. */
  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  public InputStream body() {
    return body;
  }

  /**
   * The whole body; one longer than {@code maxBytes} (less than {@link Integer#MAX_VALUE}) is a
   * {@link MalformedAnswerException}, refused before any byte is read when its length is announced.
   */
  public byte[] bodyBytes(int maxBytes) throws IOException {
    long announced = body.lengthLeft();
    if (announced > maxBytes) {
      throw new MalformedAnswerException(
          "answer body of " + announced + " bytes is over the cap of " + maxBytes + " bytes");
    }
    // An announced length is read into an array of exactly that size: no copy. Otherwise, and
    // against a node that announces more than it sends, the array grows with what arrives.
    byte[] bytes = body.readNBytes(announced >= 0 ? (int) announced : maxBytes + 1);
    if (bytes.length > maxBytes) {
      throw new MalformedAnswerException(
          "answer body longer than the cap of " + maxBytes + " bytes");
    }
    return bytes;
  }

  /** The whole body as UTF-8 text, at most {@code maxBytes} of it, as {@link #bodyBytes}. */
  public String bodyText(int maxBytes) throws IOException {
    return new String(bodyBytes(maxBytes), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    boolean keepAlive = body.finished() && !"close".equalsIgnoreCase(headers.get("connection"));
    connection.exchangeDone(keepAlive);
  }

  /**
   * The body's framing (RFC 9112 section 6). Both a length and a transfer coding, or a length that
   * is not one plain number, could frame the body two ways: the node and this client would disagree
   * on where the next answer starts.
   */
  private static BodyStream bodyOf(
      HttpConnection connection, int status, Map<String, String> headers) throws IOException {
    String encoding = headers.get("transfer-encoding");
    String length = headers.get("content-length");
    if (encoding != null && length != null) {
      throw new MalformedAnswerException("both Transfer-Encoding and Content-Length in one answer");
    }
    if (status == 204 || status == 304) {
      return new SizedBody(connection, 0);
    }
    if (encoding != null) {
      if (!encoding.equalsIgnoreCase("chunked")) {
        throw new MalformedAnswerException("unsupported Transfer-Encoding", encoding);
      }
      return new ChunkedBody(connection);
    }
    return length == null
        ? new UntilCloseBody(connection)
        : new SizedBody(connection, parseLength(length));
  }

  /** One to 18 decimal digits: no sign, no list, no overflow. */
  private static long parseLength(String length) throws MalformedAnswerException {
    if (length.isEmpty() || length.length() > 18) {
      throw new MalformedAnswerException("bad Content-Length", length);
    }
    long bytes = 0;
    for (int i = 0; i < length.length(); i++) {
      char digit = length.charAt(i);
      if (digit < '0' || digit > '9') {
        throw new MalformedAnswerException("bad Content-Length", length);
      }
      bytes = bytes * 10 + digit - '0';
    }
    return bytes;
  }

  /** A body stream that knows whether it was read to its end, leaving the connection reusable. */
  abstract static class BodyStream extends InputStream {
    final HttpConnection connection;

    BodyStream(HttpConnection connection) {
      this.connection = connection;
    }

    abstract boolean finished();

    /**
     * The bytes left of a body whose length the head announced; -1 for one that ends as it goes.
     */
    long lengthLeft() {
      return -1;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    EOFException cutShort(String what) {
      return new EOFException("connection closed " + what);
    }
  }

  private static final class SizedBody extends BodyStream {
    private long remaining;

    SizedBody(HttpConnection connection, long length) {
      super(connection);
      this.remaining = length;
    }

    @Override
    boolean finished() {
      return remaining == 0;
    }

    @Override
    long lengthLeft() {
      return remaining;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (remaining == 0) {
        return -1;
      }
      int n = connection.input().read(b, off, (int) Math.min(len, remaining));
      if (n < 0) {
        throw cutShort("with " + remaining + " bytes of the answer unsent");
      }
      remaining -= n;
      return n;
    }
  }

  /** No length given: the body ends with the connection, which then cannot be used again. */
  private static final class UntilCloseBody extends BodyStream {
    UntilCloseBody(HttpConnection connection) {
      super(connection);
    }

    @Override
    boolean finished() {
      return false;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return connection.input().read(b, off, len);
    }
  }
}
