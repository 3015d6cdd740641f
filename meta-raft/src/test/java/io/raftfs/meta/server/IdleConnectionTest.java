package io.raftfs.meta.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A master closes a keep-alive connection that sat idle past its idle timeout. */
class IdleConnectionTest {
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(1);

  private MasterHttpServer server;

  @BeforeEach
  void start() throws Exception {
    // Only /health is asked for: no handler behind the other routes runs.
    server =
        new MasterHttpServer(
            null,
            null,
            null,
            null,
            () -> "",
            null,
            "127.0.0.1",
            0,
            Duration.ofSeconds(10),
            IDLE_TIMEOUT,
            null);
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    server.stop();
  }

  @Test
  void anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      // The deadline: without an idle timeout the read below fails with a socket timeout.
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      assertEquals("HTTP/1.1 200 OK", in.readLine());
      while (!in.readLine().isEmpty()) {
        // headers; the connection is kept alive (HTTP/1.1, no Connection: close)
      }
      assertEquals("ok", in.readLine());
      long answered = System.nanoTime();

      assertEquals(-1, in.read(), "the master closes the idle connection");
      Duration idle = Duration.ofNanos(System.nanoTime() - answered);
      assertTrue(
          idle.compareTo(IDLE_TIMEOUT.minusMillis(200)) >= 0,
          () -> "closed after " + idle.toMillis() + " ms, before the idle timeout");
    }
  }
}
