package io.raftfs.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An HTTP/1.1 server on a loopback port that answers every request with what a script returns for
 * it, raw bytes as they go on the wire, so tests choose the framing, and optionally closes the
 * connection after each answer without saying so (as a node does that restarted or dropped an idle
 * connection). A {@link Responder} writes the answer itself, at its own pace.
 */
public final class ScriptedServer implements AutoCloseable {
  /** A request as the server read it. */
  public record Request(String head, byte[] body) {
    public String requestLine() {
      return head.substring(0, head.indexOf("\r\n"));
    }
  }

  /** Writes the answer to one request onto the connection; it may pace the bytes. */
  @FunctionalInterface
  public interface Responder {
    void answer(Request request, OutputStream out) throws IOException, InterruptedException;
  }

  private final ServerSocket server;
  private final Responder responder;
  private final boolean closeAfterEachAnswer;
  private final AtomicInteger connections = new AtomicInteger();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  public ScriptedServer(Function<Request, String> script, boolean closeAfterEachAnswer)
      throws IOException {
    this(
        (request, out) -> out.write(script.apply(request).getBytes(StandardCharsets.ISO_8859_1)),
        closeAfterEachAnswer);
  }

  public ScriptedServer(Responder responder, boolean closeAfterEachAnswer) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.responder = responder;
    this.closeAfterEachAnswer = closeAfterEachAnswer;
    Thread acceptor = new Thread(this::accept, "scripted-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public String address() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  public int connections() {
    return connections.get();
  }

  public List<Request> requests() {
    return requests;
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket socket : sockets) {
      socket.close();
    }
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        connections.incrementAndGet();
        sockets.add(socket);
        Thread serving = new Thread(() -> serve(socket), "scripted-connection");
        serving.setDaemon(true);
        serving.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      while (true) {
        String head = readHead(in);
        if (head == null) {
          return;
        }
        byte[] body = in.readNBytes(contentLength(head));
        Request request = new Request(head, body);
        requests.add(request);
        responder.answer(request, out);
        out.flush();
        if (closeAfterEachAnswer) {
          return;
        }
      }
    } catch (IOException | InterruptedException e) {
      // the client went away, or the test is over
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < end.length) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        return Integer.parseInt(line.substring("content-length:".length()).strip());
      }
    }
    return 0;
  }
}
