package io.raftfs.badinput;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A fake master or data node on a loopback port: it reads each request's head (and its body, by
 * {@code Content-Length}) and answers every request with the same scripted bytes, then closes the
 * connection, so a client meets garbage where it expects a protocol.
 *
 * <pre>{@code
 * try (FakeServer fake = FakeServer.answering("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nxyz")) {
 *   client.call(fake.address());
 * }
 * }</pre>
 */
final class FakeServer implements AutoCloseable {
  private final ServerSocket server;
  private final byte[] answer;
  private final Thread acceptor;
  private final List<Socket> open = new ArrayList<>();

  private FakeServer(byte[] answer) throws IOException {
    this.answer = answer;
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    acceptor = new Thread(this::serve, "fake-server-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  static FakeServer answering(String answer) throws IOException {
    return answering(answer.getBytes(StandardCharsets.ISO_8859_1));
  }

  static FakeServer answering(byte[] answer) throws IOException {
    return new FakeServer(answer);
  }

  String address() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  private void serve() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        synchronized (open) {
          open.add(socket);
        }
        Thread handler = new Thread(() -> answer(socket), "fake-connection");
        handler.setDaemon(true);
        handler.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void answer(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      long length = readHead(in);
      if (length > 0) {
        in.skipNBytes(length);
      }
      socket.getOutputStream().write(answer);
      socket.getOutputStream().flush();
      socket.shutdownOutput();
      // Let the client read it all before the close: drain until it closes its side.
      in.transferTo(OutputStreamSink.INSTANCE);
    } catch (IOException e) {
      // The client gave up: fine.
    }
  }

  /** Reads a request head; returns its Content-Length, or -1 without one. */
  private static long readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed before the end of the head");
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        return Long.parseLong(line.substring(15).trim());
      }
    }
    return -1;
  }

  @Override
  public void close() throws IOException {
    server.close();
    synchronized (open) {
      for (Socket socket : open) {
        socket.close();
      }
    }
  }

  /** Discards what a client still sends. */
  private static final class OutputStreamSink extends java.io.OutputStream {
    static final OutputStreamSink INSTANCE = new OutputStreamSink();

    @Override
    public void write(int b) {}

    @Override
    public void write(byte[] b, int off, int len) {}
  }
}
