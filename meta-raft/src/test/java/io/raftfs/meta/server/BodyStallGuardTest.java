package io.raftfs.meta.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A master does not wait forever for a request body that stopped coming. */
class BodyStallGuardTest {
  private MasterHttpServer server;

  @BeforeEach
  void start() throws Exception {
    // Only the routing is exercised: a stalled body never reaches the handlers.
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
            Duration.ofMillis(300),
            Duration.ofMinutes(2),
            null);
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    server.stop();
  }

  @Test
  void stalledBodyIsAnswered408AndTheConnectionClosed() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v1/heartbeat HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\n"
                  + "Content-Length: 100\r\n\r\n0123456789")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));

      assertEquals("HTTP/1.1 408 Request Timeout", in.readLine());
      String line;
      do {
        line = in.readLine();
      } while (line != null);
      // readLine() returned null: the master closed the connection.
    }
  }
}
