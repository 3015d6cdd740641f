package io.raftfs.testing.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * HTTP/1.1 spoken by hand over a socket, for requests no well-behaved client would send: bytes are
 * written exactly as given, and the answers are parsed just enough to tell their status, their
 * {@code error} text and whether the server closed the connection.
 *
 * <pre>{@code
 * List<Answer> answers = RawHttp.exchange("127.0.0.1:9866", request, 1, false);
 * }</pre>
 */
public final class RawHttp {
  /** Longest a server may take to answer (or close) before the case counts as a hang. */
  public static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(20);

  private static final int MAX_BODY_BYTES = 1 << 20;

  private RawHttp() {}

  /** One answer: a status and its body, or {@link #CLOSED} when the server closed instead. */
  public record Answer(int status, String headers, byte[] bytes) {
    public static final int CLOSED = -1;
    public static final int HUNG = -2;

    public static Answer closed() {
      return new Answer(CLOSED, "", new byte[0]);
    }

    public String body() {
      return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The {@code error} of a JSON error body, else the body as text. */
    public String message() {
      String text = body();
      if (text.startsWith("{")) {
        try {
          String error = new io.vertx.core.json.JsonObject(text).getString("error");
          if (error != null) {
            return error;
          }
        } catch (RuntimeException e) {
          // not JSON after all
        }
      }
      return text;
    }

    public boolean isClosed() {
      return status == CLOSED;
    }

    public String header(String name) {
      for (String line : headers.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
          return line.substring(colon + 1).trim();
        }
      }
      return null;
    }

    @Override
    public String toString() {
      if (status == CLOSED) {
        return "connection closed";
      }
      if (status == HUNG) {
        return "no answer within " + ANSWER_TIMEOUT.toSeconds() + " s";
      }
      String body = message();
      String text = body.length() > 160 ? body.substring(0, 160) + "…" : body;
      return status + " " + text.replace("\r", "\\r").replace("\n", "\\n");
    }
  }

  /** A request of the given head lines (no CRLF at their ends) and body. */
  public static byte[] request(String head, byte[] body) {
    byte[] start = (head + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[start.length + body.length];
    System.arraycopy(start, 0, all, 0, start.length);
    System.arraycopy(body, 0, all, start.length, body.length);
    return all;
  }

  /**
   * Sends {@code bytes} on a fresh connection, optionally half-closes it (the sender is done, the
   * server sees end of input), then reads up to {@code answers} answers. The list ends early with
   * {@link Answer#closed()} when the server closes, or with a hung answer on timeout.
   */
  public static List<Answer> exchange(String address, byte[] bytes, int answers, boolean halfClose)
      throws IOException {
    return exchange(null, address, bytes, answers, halfClose);
  }

  /**
   * {@link #exchange(String, byte[], int, boolean)} from the local address {@code from} (null:
   * any), e.g. {@code 127.0.0.2} to look like another host to a server on loopback.
   */
  public static List<Answer> exchange(
      InetAddress from, String address, byte[] bytes, int answers, boolean halfClose)
      throws IOException {
    try (Socket socket = connect(from, address)) {
      OutputStream out = socket.getOutputStream();
      try {
        out.write(bytes);
        out.flush();
        if (halfClose) {
          socket.shutdownOutput();
        }
      } catch (IOException e) {
        // The server may refuse and close before it read everything: its answer still counts.
      }
      return read(socket, answers);
    }
  }

  /**
   * {@link #exchange(String, byte[], int, boolean)} over TLS with {@code tls}'s certificate (if it
   * has a key) and trust. A handshake the server refuses ends the list with {@link
   * Answer#closed()}, as TLS 1.3 may tell the client only at its first read.
   */
  public static List<Answer> exchange(SSLContext tls, String address, byte[] bytes, int answers)
      throws IOException {
    int colon = address.lastIndexOf(':');
    try (Socket plain = connect(null, address);
        SSLSocket socket =
            (SSLSocket)
                tls.getSocketFactory()
                    .createSocket(
                        plain,
                        address.substring(0, colon),
                        Integer.parseInt(address.substring(colon + 1)),
                        true)) {
      try {
        socket.startHandshake();
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
      } catch (IOException e) {
        return List.of(Answer.closed());
      }
      return read(socket, answers);
    }
  }

  public static Socket connect(String address) throws IOException {
    return connect(null, address);
  }

  private static Socket connect(InetAddress from, String address) throws IOException {
    int colon = address.lastIndexOf(':');
    Socket socket = new Socket();
    if (from != null) {
      socket.bind(new InetSocketAddress(from, 0));
    }
    socket.connect(
        new InetSocketAddress(
            address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))),
        5_000);
    socket.setSoTimeout((int) ANSWER_TIMEOUT.toMillis());
    return socket;
  }

  /** Reads up to {@code count} answers from an open socket. */
  public static List<Answer> read(Socket socket, int count) throws IOException {
    List<Answer> answers = new ArrayList<>();
    InputStream in = socket.getInputStream();
    try {
      while (answers.size() < count) {
        Answer answer = readOne(in);
        answers.add(answer);
        if (answer.isClosed()) {
          break;
        }
      }
    } catch (SocketTimeoutException e) {
      answers.add(new Answer(Answer.HUNG, "", new byte[0]));
    } catch (IOException e) {
      // A reset counts as a close: the server refused the connection's input.
      answers.add(Answer.closed());
    }
    return answers;
  }

  private static Answer readOne(InputStream in) throws IOException {
    String statusLine = line(in);
    if (statusLine == null) {
      return Answer.closed();
    }
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
      throw new IOException("not an HTTP answer: " + statusLine);
    }
    int status = Integer.parseInt(parts[1]);
    StringBuilder headers = new StringBuilder();
    long length = -1;
    boolean chunked = false;
    for (String line; (line = line(in)) != null && !line.isEmpty(); ) {
      headers.append(line).append("\r\n");
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(line.substring(15).trim());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      }
    }
    if (status == 100) {
      return readOne(in);
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (chunked) {
      for (String size; (size = line(in)) != null; ) {
        int n = Integer.parseInt(size.split(";")[0].trim(), 16);
        if (n == 0) {
          line(in);
          break;
        }
        body.write(in.readNBytes(n));
        line(in);
      }
    } else if (length > 0) {
      body.write(in.readNBytes((int) Math.min(length, MAX_BODY_BYTES)));
    }
    return new Answer(status, headers.toString(), body.toByteArray());
  }

  /** One CRLF-terminated line, or null at end of input before any byte of it. */
  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        if (line.size() == 0) {
          return null;
        }
        throw new EOFException("connection closed inside a line");
      }
      if (b == '\n') {
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
      }
      line.write(b);
    }
  }
}
