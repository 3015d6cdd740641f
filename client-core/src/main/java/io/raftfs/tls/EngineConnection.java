package io.raftfs.tls;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;

/**
 * TLS over a connected blocking socket through an {@link SSLEngine}, so the engine can be
 * BoringSSL's as well as the JDK's (the JDK's {@code SSLSocket} takes only its own). Reads and
 * writes go through the socket's own streams: its read timeout, and on a channel's socket an
 * interrupt, still end a blocked read or write, and closing the socket from another thread ends
 * both at once.
 *
 * <pre>{@code
 * EngineConnection tls = new EngineConnection(plainSocket, engine);
 * tls.handshake();
 * tls.output().write(request);
 * int n = tls.input().read(answer);
 * }</pre>
 *
 * <p>One thread reads and one writes at a time; {@link #close} may come from any thread.
 */
final class EngineConnection {
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private final Socket plain;
  private final SSLEngine engine;
  private final InputStream rawIn;
  private final OutputStream rawOut;
  private final Object readLock = new Object();
  private final Object writeLock = new Object();
  private ByteBuffer netIn; // ciphertext read from the socket, not unwrapped yet (read mode)
  private ByteBuffer appIn; // plaintext unwrapped, not handed out yet (read mode)
  private ByteBuffer netOut; // ciphertext wrapped, to be written (write mode)
  private boolean inputClosed;

  EngineConnection(Socket plain, SSLEngine engine) throws IOException {
    this.plain = plain;
    this.engine = engine;
    this.rawIn = plain.getInputStream();
    this.rawOut = plain.getOutputStream();
    SSLSession session = engine.getSession();
    // Room for a few records, read from the socket in one call and written in one call.
    netIn = ByteBuffer.allocate(4 * session.getPacketBufferSize()).flip();
    appIn = ByteBuffer.allocate(session.getApplicationBufferSize()).flip();
    netOut = ByteBuffer.allocate(4 * session.getPacketBufferSize());
  }

  /**
   * Runs the handshake to its end; the socket's read timeout bounds each wait for the server.
   *
   * @throws SSLException naming why the server's certificate was refused, whichever engine found it
   */
  void handshake() throws IOException {
    try {
      engine.beginHandshake();
      synchronized (readLock) {
        synchronized (writeLock) {
          SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
          while (status != SSLEngineResult.HandshakeStatus.FINISHED
              && status != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING) {
            switch (status) {
              case NEED_WRAP -> status = wrap(EMPTY).getHandshakeStatus();
              case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                sendWrapped(); // what the server waits for before it answers
                status = unwrapForHandshake();
              }
              case NEED_TASK -> status = runTasks();
              default -> throw new SSLException("TLS handshake in an unknown state: " + status);
            }
          }
          sendWrapped();
        }
      }
    } catch (SSLException e) {
      throw explained(e);
    }
  }

  /**
   * BoringSSL's engine reports a certificate the trust manager refused as a "General OpenSslEngine
   * problem"; the trust manager's reason (e.g. that the certificate was revoked) is its cause.
   */
  private static SSLException explained(SSLException e) {
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof CertificateException refused) {
        SSLHandshakeException explained = new SSLHandshakeException(refused.getMessage());
        explained.initCause(e);
        return explained;
      }
    }
    return e;
  }

  SSLSession session() {
    return engine.getSession();
  }

  InputStream input() {
    return new Input();
  }

  OutputStream output() {
    return new Output();
  }

  /**
   * Closes the socket at once, without TLS's close message: sending it could wait behind a blocked
   * write, and every request carries its own length, so a peer learns nothing from it.
   */
  void close() throws IOException {
    plain.close();
  }

  private SSLEngineResult.HandshakeStatus unwrapForHandshake() throws IOException {
    SSLEngineResult result = unwrap();
    if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
      throw new SSLException("the server closed the connection during the TLS handshake");
    }
    return result.getHandshakeStatus();
  }

  private SSLEngineResult.HandshakeStatus runTasks() {
    Runnable task;
    while ((task = engine.getDelegatedTask()) != null) {
      task.run();
    }
    return engine.getHandshakeStatus();
  }

  /**
   * Unwraps one record from {@link #netIn} into {@link #appIn}, reading from the socket until a
   * whole record is there. Returns CLOSED at the peer's close message; throws at the end of the
   * stream without one.
   */
  private SSLEngineResult unwrap() throws IOException {
    while (true) {
      appIn.compact();
      SSLEngineResult result;
      try {
        result = engine.unwrap(netIn, appIn);
      } finally {
        appIn.flip();
      }
      switch (result.getStatus()) {
        case OK, CLOSED -> {
          return result;
        }
        case BUFFER_OVERFLOW -> appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
        case BUFFER_UNDERFLOW -> {
          if (!readRecordBytes()) {
            throw new EOFException("the connection ended inside a TLS record");
          }
        }
      }
    }
  }

  /** Reads more ciphertext into {@link #netIn}; false at the end of the stream. */
  private boolean readRecordBytes() throws IOException {
    netIn.compact();
    try {
      if (!netIn.hasRemaining()) {
        netIn.flip();
        netIn = grow(netIn, engine.getSession().getPacketBufferSize());
        netIn.compact();
      }
      int n = rawIn.read(netIn.array(), netIn.arrayOffset() + netIn.position(), netIn.remaining());
      if (n < 0) {
        return false;
      }
      netIn.position(netIn.position() + n);
      return true;
    } finally {
      netIn.flip();
    }
  }

  /** Wraps all of {@code source} (maybe nothing, for the handshake) into {@link #netOut}. */
  private SSLEngineResult wrap(ByteBuffer source) throws IOException {
    while (true) {
      SSLEngineResult result = engine.wrap(source, netOut);
      switch (result.getStatus()) {
        case OK -> {
          if (!source.hasRemaining()) {
            return result;
          }
        }
        case BUFFER_OVERFLOW -> {
          if (netOut.position() > 0) {
            sendWrapped();
          } else {
            netOut = grow(netOut.flip(), engine.getSession().getPacketBufferSize()).compact();
          }
        }
        case CLOSED -> throw new SSLException("TLS is closed on this connection");
        case BUFFER_UNDERFLOW -> throw new SSLException("TLS engine wanted more to wrap");
      }
    }
  }

  private void sendWrapped() throws IOException {
    if (netOut.position() > 0) {
      rawOut.write(netOut.array(), netOut.arrayOffset(), netOut.position());
      netOut.clear();
    }
  }

  /** {@code buffer} (read mode) in a buffer with room for {@code atLeast} more bytes. */
  private static ByteBuffer grow(ByteBuffer buffer, int atLeast) {
    ByteBuffer larger = ByteBuffer.allocate(buffer.remaining() + Math.max(atLeast, 1024));
    larger.put(buffer);
    return larger.flip();
  }

  private final class Input extends InputStream {
    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      synchronized (readLock) {
        while (!appIn.hasRemaining()) {
          if (inputClosed) {
            return -1;
          }
          SSLEngineResult result = unwrap();
          if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
            inputClosed = true;
          }
          answerPostHandshake(result.getHandshakeStatus());
        }
        int n = Math.min(len, appIn.remaining());
        appIn.get(b, off, n);
        return n;
      }
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int available() {
      synchronized (readLock) {
        return appIn.remaining();
      }
    }

    @Override
    public void close() throws IOException {
      EngineConnection.this.close();
    }
  }

  /** What a record after the handshake asks for: TLS 1.3 key updates and tickets. */
  private void answerPostHandshake(SSLEngineResult.HandshakeStatus status) throws IOException {
    while (true) {
      switch (status) {
        case NEED_TASK -> status = runTasks();
        case NEED_WRAP -> {
          synchronized (writeLock) {
            status = wrap(EMPTY).getHandshakeStatus();
            sendWrapped();
          }
        }
        default -> {
          return;
        }
      }
    }
  }

  private final class Output extends OutputStream {
    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      synchronized (writeLock) {
        wrap(ByteBuffer.wrap(b, off, len));
        sendWrapped();
      }
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void flush() {
      // Every write is sent before it returns.
    }

    @Override
    public void close() throws IOException {
      EngineConnection.this.close();
    }
  }
}
