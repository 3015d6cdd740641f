package io.raftfs.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the blocking client reads of an answer, and when it keeps a connection for the next. */
@Timeout(30)
class HttpConnectionTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final HttpConnectionPool pool =
      new HttpConnectionPool(Duration.ofSeconds(5), Duration.ofSeconds(60));

  @AfterEach
  void closePool() {
    pool.close();
  }

  @Test
  void aFullyReadAnswerLeavesTheConnectionForTheNextRequest() throws Exception {
    try (ScriptedServer server = new ScriptedServer(r -> sized(200, "ok"), false)) {
      HttpConnection first = pool.connect(server.address(), true);
      assertEquals("ok", get(first, "/a"));
      HttpConnection second = pool.connect(server.address(), true);
      assertSame(first, second);
      assertTrue(second.reused());
      assertEquals("ok", get(second, "/b"));
      assertEquals(1, server.connections());
      assertEquals("GET /b HTTP/1.1", server.requests().get(1).requestLine());
    }
  }

  @Test
  void anAnswerSayingCloseOrNotReadToTheEndEndsTheConnection() throws Exception {
    try (ScriptedServer server =
        new ScriptedServer(
            r ->
                r.requestLine().contains("/close")
                    ? "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok"
                    : sized(200, "0123456789"),
            false)) {
      HttpConnection first = pool.connect(server.address(), true);
      assertEquals("ok", get(first, "/close"));
      HttpConnection second = pool.connect(server.address(), true);
      assertNotSame(first, second);
      second.send("GET", "/partly", Map.of(), null, 0);
      try (HttpResponse response = second.receive(TIMEOUT, deadline())) {
        assertEquals('0', response.body().read());
      }
      assertNotSame(second, pool.connect(server.address(), true));
    }
  }

  @Test
  void aChunkedBodyIsDecodedAndTheConnectionKept() throws Exception {
    String chunked =
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n";
    try (ScriptedServer server = new ScriptedServer(r -> chunked, false)) {
      HttpConnection connection = pool.connect(server.address(), true);
      assertEquals("hello, world", get(connection, "/"));
      assertSame(connection, pool.connect(server.address(), true));
    }
  }

  @Test
  void anInterimAnswerIsSkippedAndTheRequestBodyArrivesWhole() throws Exception {
    byte[] large = new byte[300_000]; // above the one-write size: streamed after the head
    for (int i = 0; i < large.length; i++) {
      large[i] = (byte) (i * 7);
    }
    try (ScriptedServer server =
        new ScriptedServer(r -> "HTTP/1.1 100 Continue\r\n\r\n" + sized(201, "stored"), false)) {
      HttpConnection connection = pool.connect(server.address(), true);
      connection.send(
          "PUT", "/blocks/9", Map.of("X-Test", "1"), new ByteArrayInputStream(large), large.length);
      try (HttpResponse response = connection.receive(TIMEOUT, deadline())) {
        assertEquals(201, response.status());
        assertEquals("stored", response.bodyText(100));
      }
      ScriptedServer.Request request = server.requests().get(0);
      assertEquals("PUT /blocks/9 HTTP/1.1", request.requestLine());
      assertTrue(request.head().contains("X-Test: 1\r\n"), request::head);
      assertArrayEquals(large, request.body());
    }
  }

  @Test
  void aBodyShorterThanAnnouncedFailsTheRequest() throws Exception {
    try (ScriptedServer server = new ScriptedServer(r -> sized(201, ""), false)) {
      HttpConnection connection = pool.connect(server.address(), true);
      IOException e =
          assertThrows(
              EOFException.class,
              () ->
                  connection.send(
                      "PUT", "/blocks/1", Map.of(), new ByteArrayInputStream(new byte[10]), 20));
      assertEquals("request body ended after 10 of 20 bytes", e.getMessage());
    }
  }

  @Test
  void anAnswerCutShortOrMalformedIsAnError() throws Exception {
    try (ScriptedServer cut =
            new ScriptedServer(r -> "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", true);
        ScriptedServer garbage = new ScriptedServer(r -> "SSH-2.0-OpenSSH\r\n\r\n", true)) {
      HttpConnection connection = pool.connect(cut.address(), true);
      connection.send("GET", "/", Map.of(), null, 0);
      try (HttpResponse response = connection.receive(TIMEOUT, deadline())) {
        IOException e = assertThrows(EOFException.class, () -> response.bodyText(100));
        assertTrue(e.getMessage().contains("with 7 bytes of the answer unsent"), e::getMessage);
      }
      HttpConnection other = pool.connect(garbage.address(), true);
      other.send("GET", "/", Map.of(), null, 0);
      IOException e = assertThrows(IOException.class, () -> other.receive(TIMEOUT, deadline()));
      assertEquals("not an HTTP/1.x answer: SSH-2.0-OpenSSH", e.getMessage());
    }
  }

  @Test
  void anAnswerTrickledPastItsDeadlineFailsAtTheDeadline() throws Exception {
    ScriptedServer.Responder trickle =
        (request, out) -> {
          out.write(
              "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
          for (int i = 0; i < 1000; i++) { // a byte every 50 ms: never silent for a read timeout
            out.write('x');
            out.flush();
            Thread.sleep(50);
          }
        };
    try (ScriptedServer server = new ScriptedServer(trickle, false)) {
      long start = System.nanoTime();
      DeadlineExceededException e =
          assertThrows(
              DeadlineExceededException.class,
              () -> {
                try (HttpResponse response =
                    pool.exchange(
                        server.address(),
                        TIMEOUT,
                        Duration.ofMillis(500),
                        c -> c.send("GET", "/", Map.of(), null, 0))) {
                  response.bodyBytes(2000);
                }
              });
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertEquals("answer not complete by its deadline", e.getMessage());
      assertTrue(millis >= 500 && millis < 5000, millis + " ms: not ended by the 500 ms deadline");
    }
  }

  @Test
  void noListenerIsAConnectException() throws Exception {
    String address;
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      address = "127.0.0.1:" + closed.getLocalPort();
    }
    assertThrows(ConnectException.class, () -> pool.connect(address, true));
    ConnectException e = assertThrows(ConnectException.class, () -> pool.connect("no-port", true));
    assertEquals("not host:port", e.getMessage());
  }

  @Test
  void forgottenIdleConnectionsAreNotHandedOutAgain() throws Exception {
    try (ScriptedServer server = new ScriptedServer(r -> sized(200, "ok"), false)) {
      HttpConnection first = pool.connect(server.address(), true);
      get(first, "/");
      pool.forget(server.address());
      assertNotSame(first, pool.connect(server.address(), true));
    }
  }

  @Test
  void aRequestOnAConnectionTheNodeClosedMeanwhileGoesAgainOnceOnANewOne() throws Exception {
    AtomicInteger writes = new AtomicInteger();
    try (ScriptedServer server = new ScriptedServer(r -> sized(200, "ok"), true)) {
      for (int i = 0; i < 2; i++) {
        try (HttpResponse response =
            pool.exchange(
                server.address(),
                TIMEOUT,
                TIMEOUT,
                c -> {
                  writes.incrementAndGet();
                  c.send("GET", "/", Map.of(), null, 0);
                })) {
          assertEquals("ok", response.bodyText(10));
        }
      }
      assertEquals(3, writes.get(), "the second request was written twice");
      assertEquals(2, server.requests().size(), "and arrived once");
    }
  }

  @Test
  void aRequestWhoseConnectionWasClosedHereIsNotSentAgain() throws Exception {
    AtomicInteger writes = new AtomicInteger();
    try (ScriptedServer server = new ScriptedServer(r -> sized(200, "ok"), false)) {
      get(pool.connect(server.address(), true), "/"); // leaves a kept-alive connection
      IOException e =
          assertThrows(
              IOException.class,
              () ->
                  pool.exchange(
                      server.address(),
                      TIMEOUT,
                      TIMEOUT,
                      c -> {
                        writes.incrementAndGet();
                        c.close(); // what a watchdog does to a stalled upload
                        c.send("GET", "/", Map.of(), null, 0);
                      }));
      assertEquals(1, writes.get(), e::toString);
    }
  }

  private static String get(HttpConnection connection, String target) throws IOException {
    connection.send("GET", target, Map.of(), null, 0);
    try (HttpResponse response = connection.receive(TIMEOUT, deadline())) {
      return response.bodyText(1000);
    }
  }

  private static long deadline() {
    return System.nanoTime() + TIMEOUT.toNanos();
  }

  private static String sized(int status, String body) {
    return "HTTP/1.1 "
        + status
        + " X\r\nContent-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length
        + "\r\n\r\n"
        + body;
  }
}
