package io.raftfs.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The answer to one request on an {@link HttpConnection}: status, headers and a body stream framed
 * by {@code Content-Length} or chunked encoding. Closing it after the whole body was read returns
 * the connection to its pool (unless the node said {@code Connection: close}); closing it earlier
 * closes the connection, whose rest of the body nobody will read.
 */
public final class HttpResponse implements AutoCloseable {
  private static final int MAX_HEADERS = 100;

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

  /** Changes how long one read of the body may wait for a byte. */
  public void readTimeout(Duration timeout) throws IOException {
    connection.readTimeout(timeout);
  }

  /** The whole body as text; an answer longer than {@code maxBytes} is an error. */
  public String bodyText(int maxBytes) throws IOException {
    byte[] bytes = body.readNBytes(maxBytes + 1);
    if (bytes.length > maxBytes) {
      throw new IOException("answer longer than " + maxBytes + " bytes");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    boolean keepAlive = body.finished() && !"close".equalsIgnoreCase(header("Connection"));
    connection.exchangeDone(keepAlive);
  }

  static int parseStatus(String line) throws IOException {
    // "HTTP/1.1 201 Created"
    if (!line.startsWith("HTTP/1.") || line.length() < 12 || line.charAt(8) != ' ') {
      throw new IOException("not an HTTP/1.x answer: " + abbreviate(line));
    }
    try {
      return Integer.parseInt(line.substring(9, 12));
    } catch (NumberFormatException e) {
      throw new IOException("bad HTTP status line: " + abbreviate(line));
    }
  }

  static Map<String, String> readHeaders(HttpConnection connection) throws IOException {
    Map<String, String> headers = new HashMap<>();
    for (String line; !(line = connection.readLine(false)).isEmpty(); ) {
      if (headers.size() >= MAX_HEADERS) {
        throw new IOException("more than " + MAX_HEADERS + " headers");
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IOException("bad header line: " + abbreviate(line));
      }
      headers.put(
          line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).strip());
    }
    return headers;
  }

  private static BodyStream bodyOf(
      HttpConnection connection, int status, Map<String, String> headers) throws IOException {
    if (status == 204 || status == 304) {
      return new SizedBody(connection, 0);
    }
    String encoding = headers.get("transfer-encoding");
    if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
      return new ChunkedBody(connection);
    }
    String length = headers.get("content-length");
    if (length == null) {
      return new UntilCloseBody(connection);
    }
    try {
      long bytes = Long.parseLong(length);
      if (bytes < 0) {
        throw new NumberFormatException();
      }
      return new SizedBody(connection, bytes);
    } catch (NumberFormatException e) {
      throw new IOException("bad Content-Length " + abbreviate(length));
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 80) + "...";
  }

  /** A body stream that knows whether it was read to its end, leaving the connection reusable. */
  private abstract static class BodyStream extends InputStream {
    final HttpConnection connection;

    BodyStream(HttpConnection connection) {
      this.connection = connection;
    }

    abstract boolean finished();

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

  private static final class ChunkedBody extends BodyStream {
    private long chunkLeft;
    private boolean ended;

    ChunkedBody(HttpConnection connection) {
      super(connection);
    }

    @Override
    boolean finished() {
      return ended;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (ended) {
        return -1;
      }
      if (chunkLeft == 0) {
        String size = connection.readLine(false);
        int extension = size.indexOf(';');
        try {
          chunkLeft =
              Long.parseLong((extension < 0 ? size : size.substring(0, extension)).strip(), 16);
        } catch (NumberFormatException e) {
          throw new IOException("bad chunk size " + abbreviate(size));
        }
        if (chunkLeft == 0) {
          while (!connection.readLine(false).isEmpty()) {
            // trailers: none expected, none used
          }
          ended = true;
          return -1;
        }
      }
      int n = connection.input().read(b, off, (int) Math.min(len, chunkLeft));
      if (n < 0) {
        throw cutShort("in the middle of a chunk");
      }
      chunkLeft -= n;
      if (chunkLeft == 0 && !connection.readLine(false).isEmpty()) {
        throw new IOException("chunk longer than announced");
      }
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
