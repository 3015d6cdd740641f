package io.raftfs.http;

import io.raftfs.tls.ClientTls;
import io.raftfs.tls.NodeName;
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
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/1.1 client connection, blocking, used by one thread at a time: the caller's thread
 * writes the request and reads the answer on the socket itself. The JDK's {@code HttpClient} passes
 * every exchange between the caller, a selector thread and an executor; for a 4 KiB block those
 * hand-offs cost the client more than the bytes (HDFS's block streams are blocking sockets too).
 *
 * <pre>{@code
 * try (HttpResponse response =
 *     pool.exchange("127.0.0.1:9866", Duration.ofSeconds(20), Duration.ofMinutes(2), c -> c.send("GET", "/blocks/7", Map.of(), null, 0))) {
 *   response.body().transferTo(out);
 * } // a fully read answer returns the connection to the pool
 * }</pre>
 */
public final class HttpConnection implements Closeable {
  /** A request of at most this many bytes goes out in one write: one segment, one system call. */
  private static final int SINGLE_WRITE_BYTES = 64 << 10;

  private static final int BUFFER_BYTES = 256 << 10;

  /** Interim answers (1xx) in a row before the final one; a node sends at most one. */
  static final int MAX_INTERIM_ANSWERS = 10;

  private final HttpConnectionPool pool;
  private final String address;
  private final Socket plain;
  private final NodeName peer; // who the TLS handshake found; null: plaintext
  private final BufferedInputStream in;
  private final OutputStream out;
  private final int sendBufferBytes;
  private int exchanges;
  private int readTimeoutMillis;
  private long deadlineNanos;
  private long idleSinceNanos;
  private boolean answered;

  private HttpConnection(
      HttpConnectionPool pool,
      String address,
      Socket plain,
      InputStream input,
      OutputStream output,
      NodeName peer)
      throws IOException {
    this.pool = pool;
    this.address = address;
    this.plain = plain;
    this.peer = peer;
    this.in = new BufferedInputStream(new TimedInput(input), 16 << 10);
    this.out = output;
    this.sendBufferBytes = plain.getSendBufferSize();
  }

  /**
   * Connects to {@code host:port}. Every failure to connect, a refusal, an unknown host or the
   * timeout, is a {@link ConnectException}: the node is not there. Messages here name no address:
   * the caller says which node and what it was doing.
   *
   * <p>With {@code tls} (null: plaintext) the TLS handshake follows within the same timeout; a
   * server that is not the one expected fails it with an {@link javax.net.ssl.SSLException}, which
   * is no {@link ConnectException}: the node is there, but must not be talked to.
   */
  static HttpConnection open(
      HttpConnectionPool pool, String address, Duration timeout, ClientTls tls) throws IOException {
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
    InetSocketAddress target;
    try {
      target = socketAddress(address);
      socket.setTcpNoDelay(true);
      socket.connect(target, (int) timeout.toMillis());
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
    if (tls == null) {
      return new HttpConnection(
          pool, address, socket, socket.getInputStream(), socket.getOutputStream(), null);
    }
    try {
      // Over the channel's socket, so an interrupt still ends a blocked read or write.
      ClientTls.Handshake secured =
          tls.handshake(socket, target.getHostString(), target.getPort(), (int) timeout.toMillis());
      return new HttpConnection(
          pool, address, socket, secured.input(), secured.output(), secured.peer());
    } catch (SocketTimeoutException e) {
      closeQuietly(socket);
      ConnectException failure =
          new ConnectException("TLS handshake timed out after " + timeout.toMillis() + " ms");
      failure.initCause(e);
      throw failure;
    } catch (IOException | RuntimeException e) {
      closeQuietly(socket);
      throw e;
    }
  }

  public String address() {
    return address;
  }

  /** The node the server's certificate names; null over plaintext. */
  NodeName peer() {
    return peer;
  }

  /** Whether this connection carried an exchange before: it may have been closed by the peer. */
  boolean reused() {
    return exchanges > 0;
  }

  /** Whether this side closed the connection. */
  boolean closed() {
    return plain.isClosed();
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

  /**
   * Reads the answer's status line and headers. Each read waits at most {@code readTimeout}, and
   * the whole answer, body included, must have arrived by {@code deadlineNanos} ({@link
   * System#nanoTime}): a node that keeps sending a byte now and then cannot hold the caller.
   */
  HttpResponse receive(Duration readTimeout, long deadlineNanos) throws IOException {
    readTimeout(readTimeout);
    this.deadlineNanos = deadlineNanos;
    for (int interim = 0; ; interim++) {
      int status = AnswerHead.readStatus(this);
      Map<String, String> headers = AnswerHead.readFields(this, "header");
      if (status >= 200) {
        return new HttpResponse(this, status, headers);
      }
      // An interim answer (100 Continue): the final one follows, unless the node only stalls.
      if (interim == MAX_INTERIM_ANSWERS) {
        throw new MalformedAnswerException(
            "more than " + MAX_INTERIM_ANSWERS + " interim (1xx) answers in a row");
      }
    }
  }

  /** Changes how long one read of the answer may wait; the deadline stays. */
  void readTimeout(Duration timeout) {
    readTimeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
  }

  InputStream input() {
    return in;
  }

  /**
   * One line of the answer's head or chunk framing, without its CRLF, at most {@code maxBytes}
   * long; {@code what} names it in errors ("status" line). Control characters other than HTAB, and
   * a CR or LF that is not a CRLF, are errors: they would let one header hide another.
   */
  String readLine(int maxBytes, String what) throws IOException {
    StringBuilder line = new StringBuilder(64);
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException(
            answered
                ? "connection closed before the end of the " + what + " line"
                : "connection closed without an answer");
      }
      answered = true;
      if (b == '\r') {
        if (in.read() != '\n') {
          throw new MalformedAnswerException("CR without LF in the " + what + " line");
        }
        return line.toString();
      }
      if ((b < 0x20 && b != '\t') || b == 0x7f) {
        throw new MalformedAnswerException(
            String.format("control character 0x%02x in the %s line", b, what));
      }
      if (line.length() == maxBytes) {
        throw new MalformedAnswerException(what + " line longer than " + maxBytes + " bytes");
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

  /**
   * Closes at once, also from another thread (a watchdog) while a read or write blocks: the plain
   * socket, without TLS's close message, which could wait behind the blocked write.
   */
  @Override
  public void close() {
    closeQuietly(plain);
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

  /**
   * The socket's input, each read waiting no longer than the read timeout nor past the deadline.
   * Below the buffer: it costs a clock read per system call, not per byte.
   */
  private final class TimedInput extends InputStream {
    private final InputStream socketInput;

    TimedInput(InputStream socketInput) {
      this.socketInput = socketInput;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        throw new DeadlineExceededException();
      }
      // On a channel's socket this is a field write, no system call.
      plain.setSoTimeout(
          (int) Math.min(readTimeoutMillis, TimeUnit.NANOSECONDS.toMillis(left) + 1));
      try {
        return socketInput.read(b, off, len);
      } catch (SocketTimeoutException e) {
        if (deadlineNanos - System.nanoTime() <= 0) {
          throw new DeadlineExceededException();
        }
        throw e;
      }
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int available() throws IOException {
      return socketInput.available();
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
