package io.raftfs.http;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * One HTTP/1.1 client connection, blocking, used by one thread at a time: the caller's thread
 * writes the request and reads the answer on the socket itself. The JDK's {@code HttpClient} passes
 * every exchange between the caller, a selector thread and an executor; for a 4 KiB block those
 * hand-offs cost the client more than the bytes (HDFS's block streams are blocking sockets too).
 *
 * <pre>{@code
 * try (HttpResponse response =
 *     pool.exchange("127.0.0.1:9866", Duration.ofSeconds(20), c -> c.send("GET", "/blocks/7", Map.of(), null, 0))) {
 *   response.body().transferTo(out);
 * } // a fully read answer returns the connection to the pool
 * }</pre>
 */
public final class HttpConnection implements Closeable {
  /** A request of at most this many bytes goes out in one write: one segment, one system call. */
  private static final int SINGLE_WRITE_BYTES = 64 << 10;

  private static final int BUFFER_BYTES = 256 << 10;

  private final HttpConnectionPool pool;
  private final String address;
  private final Socket socket;
  private final BufferedInputStream in;
  private final OutputStream out;
  private final int sendBufferBytes;
  private int exchanges;
  private int readTimeoutMillis;
  private long idleSinceNanos;
  private boolean answered;

  private HttpConnection(HttpConnectionPool pool, String address, Socket socket)
      throws IOException {
    this.pool = pool;
    this.address = address;
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream(), 16 << 10);
    this.out = socket.getOutputStream();
    this.sendBufferBytes = socket.getSendBufferSize();
  }

  /**
   * Connects to {@code host:port}. Every failure to connect, a refusal, an unknown host or the
   * timeout, is a {@link ConnectException}: the node is not there. Messages here name no address:
   * the caller says which node and what it was doing.
   */
  static HttpConnection open(HttpConnectionPool pool, String address, Duration timeout)
      throws ConnectException {
    // A channel's socket: a blocked read or write ends when the thread is interrupted (a cancelled
    // transfer), which a plain Socket's would not.
    Socket socket;
    try {
      socket = SocketChannel.open().socket();
    } catch (IOException e) {
      ConnectException failure = new ConnectException(String.valueOf(e.getMessage()));
      failure.initCause(e);
      throw failure;
    }
    try {
      socket.setTcpNoDelay(true);
      socket.connect(socketAddress(address), (int) timeout.toMillis());
      return new HttpConnection(pool, address, socket);
    } catch (IOException | IllegalArgumentException e) {
      closeQuietly(socket);
      if (e instanceof ConnectException refused) {
        throw refused;
      }
      String reason =
          e instanceof SocketTimeoutException
              ? "connect timed out after " + timeout.toMillis() + " ms"
              : e instanceof UnknownHostException ? "unknown host" : String.valueOf(e.getMessage());
      ConnectException failure = new ConnectException(reason);
      failure.initCause(e);
      throw failure;
    }
  }

  public String address() {
    return address;
  }

  /** Whether this connection carried an exchange before: it may have been closed by the peer. */
  boolean reused() {
    return exchanges > 0;
  }

  /** Whether this side closed the connection. */
  boolean closed() {
    return socket.isClosed();
  }

  /** Whether any byte of an answer to the current request arrived. */
  boolean answered() {
    return answered;
  }

  /**
   * Whether writing {@code requestBytes} may wait on the peer: more than half the socket's send
   * buffer. A smaller request is taken by the kernel at once, even from a peer that stopped
   * reading.
   */
  public boolean mayBlockWriting(long requestBytes) {
    return requestBytes > sendBufferBytes / 2;
  }

  /**
   * Writes a request with a body of exactly {@code contentLength} bytes read from {@code body}
   * (null and 0 for none). Fails if the body ends early.
   */
  public void send(
      String method, String target, Map<String, String> headers, InputStream body, long length)
      throws IOException {
    answered = false;
    StringBuilder head = new StringBuilder(256);
    head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    head.append("Host: ").append(address).append("\r\n");
    headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    if (body != null || !method.equals("GET")) {
      head.append("Content-Length: ").append(length).append("\r\n");
    }
    head.append("\r\n");
    byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
    if (length <= SINGLE_WRITE_BYTES) {
      byte[] request = new byte[headBytes.length + (int) length];
      System.arraycopy(headBytes, 0, request, 0, headBytes.length);
      if (length > 0) {
        readBody(body, request, headBytes.length, (int) length);
      }
      out.write(request);
    } else {
      out.write(headBytes);
      streamBody(body, length);
    }
    out.flush();
  }

  /** Reads the answer's status line and headers, waiting at most {@code timeout} per read. */
  public HttpResponse receive(Duration timeout) throws IOException {
    readTimeout(timeout);
    while (true) {
      String statusLine = readLine(true);
      answered = true;
      int status = HttpResponse.parseStatus(statusLine);
      Map<String, String> headers = HttpResponse.readHeaders(this);
      if (status >= 100 && status < 200) {
        continue; // an interim answer (100 Continue): the final one follows
      }
      return new HttpResponse(this, status, headers);
    }
  }

  /** Changes how long one read of the answer may wait. */
  void readTimeout(Duration timeout) throws IOException {
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    if (millis != readTimeoutMillis) { // a system call each time: most exchanges keep it
      socket.setSoTimeout(millis);
      readTimeoutMillis = millis;
    }
  }

  InputStream input() {
    return in;
  }

  /** A header line without its CRLF; at most 8 KiB. */
  String readLine(boolean first) throws IOException {
    StringBuilder line = new StringBuilder(64);
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException(
            first && line.isEmpty()
                ? "connection closed without an answer"
                : "answer ended mid-header");
      }
      if (b == '\n') {
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r'
            ? line.substring(0, end - 1)
            : line.toString();
      }
      if (line.length() >= 8192) {
        throw new IOException("answer header line longer than 8 KiB");
      }
      line.append((char) b);
    }
  }

  /** Back to the pool, for the next request to the same node. */
  void exchangeDone(boolean keepAlive) {
    exchanges++;
    if (keepAlive) {
      idleSinceNanos = System.nanoTime();
      pool.release(this);
    } else {
      close();
    }
  }

  long idleSinceNanos() {
    return idleSinceNanos;
  }

  @Override
  public void close() {
    closeQuietly(socket);
  }

  private void streamBody(InputStream body, long length) throws IOException {
    byte[] buffer = new byte[(int) Math.min(BUFFER_BYTES, length)];
    long written = 0;
    while (written < length) {
      int n = body.read(buffer, 0, (int) Math.min(buffer.length, length - written));
      if (n < 0) {
        throw new EOFException("request body ended after " + written + " of " + length + " bytes");
      }
      out.write(buffer, 0, n);
      written += n;
    }
  }

  private static void readBody(InputStream body, byte[] into, int offset, int length)
      throws IOException {
    int read = body.readNBytes(into, offset, length);
    if (read != length) {
      throw new EOFException("request body ended after " + read + " of " + length + " bytes");
    }
  }

  private static InetSocketAddress socketAddress(String address) {
    int colon = address.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("not host:port");
    }
    String host = address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new InetSocketAddress(host, Integer.parseInt(address.substring(colon + 1)));
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing left to release
    }
  }
}
