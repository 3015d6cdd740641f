package io.raftfs.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client trusts nothing a node sends: every answer here breaks HTTP/1.1 framing or one of the
 * client's caps, and each must fail as a {@link MalformedAnswerException} naming the problem, with
 * the connection it came on closed rather than handed to the next request.
 */
@Timeout(30)
class MalformedAnswerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final int BODY_CAP = 1000;
  private static final String HEAD = "HTTP/1.1 200 OK\r\n";
  private static final String CHUNKED = HEAD + "Transfer-Encoding: chunked\r\n\r\n";

  private final HttpConnectionPool pool =
      new HttpConnectionPool(Duration.ofSeconds(5), Duration.ofSeconds(60));

  @AfterEach
  void closePool() {
    pool.close();
  }

  @Test
  void aNegativeChunkSize() throws Exception {
    assertRefused(CHUNKED + "-1\r\n", "bad chunk size: -1");
  }

  @Test
  void aChunkSizeThatOverflows() throws Exception {
    assertRefused(
        CHUNKED + "10000000000000000\r\n", "chunk size overflows 63 bits: 10000000000000000");
  }

  @Test
  void aChunkSizeLineOverItsCap() throws Exception {
    assertRefused(
        CHUNKED + "2;" + "x".repeat(1100) + "\r\nok\r\n0\r\n\r\n",
        "chunk-size line longer than 1024 bytes");
  }

  @Test
  void endlessTrailers() throws Exception {
    StringBuilder trailers = new StringBuilder();
    for (int i = 0; i <= 100; i++) {
      trailers.append("X-T").append(i).append(": 1\r\n");
    }
    assertRefused(CHUNKED + "2\r\nok\r\n0\r\n" + trailers + "\r\n", "more than 100 trailers");
  }

  @Test
  void endlessInterimAnswers() throws Exception {
    assertRefused(
        "HTTP/1.1 100 Continue\r\n\r\n".repeat(11) + sized("ok"),
        "more than 10 interim (1xx) answers in a row");
  }

  @Test
  void aRepeatedHeader() throws Exception {
    assertRefused(
        HEAD + "Connection: close\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok",
        "repeated header: Connection");
  }

  @Test
  void aDuplicateContentLength() throws Exception {
    assertRefused(
        HEAD + "Content-Length: 2\r\nContent-Length: 2\r\n\r\nok",
        "repeated header: Content-Length");
  }

  @Test
  void conflictingContentLengths() throws Exception {
    assertRefused(
        HEAD + "Content-Length: 2\r\nContent-Length: 3\r\n\r\nok",
        "repeated header: Content-Length");
  }

  @Test
  void aContentLengthThatIsNotOnePlainNumber() throws Exception {
    assertRefused(HEAD + "Content-Length: 2, 2\r\n\r\nok", "bad Content-Length: 2, 2");
  }

  @Test
  void aContentLengthTogetherWithChunked() throws Exception {
    assertRefused(
        HEAD + "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
        "both Transfer-Encoding and Content-Length in one answer");
  }

  @Test
  void aTransferCodingOtherThanChunked() throws Exception {
    assertRefused(
        HEAD + "Transfer-Encoding: gzip, chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
        "unsupported Transfer-Encoding: gzip, chunked");
  }

  @Test
  void aCarriageReturnInAHeaderValue() throws Exception {
    assertRefused(
        HEAD + "X-A: a\rContent-Length: 9\r\nContent-Length: 2\r\n\r\nok",
        "CR without LF in the header line");
  }

  @Test
  void aLineFeedWithoutCarriageReturnInAHeaderValue() throws Exception {
    assertRefused(
        HEAD + "X-A: a\nContent-Length: 9\r\n\r\nok", "control character 0x0a in the header line");
  }

  @Test
  void aControlCharacterInAHeaderValue() throws Exception {
    assertRefused(
        HEAD + "X-A: a\u0000b\r\nContent-Length: 2\r\n\r\nok",
        "control character 0x00 in the header line");
  }

  @Test
  void aStatusCodeThatIsNotThreeDigits() throws Exception {
    assertRefused("HTTP/1.1 -20 X\r\n\r\n", "bad HTTP status line: HTTP/1.1 -20 X");
  }

  @Test
  void aStatusLineOverItsCap() throws Exception {
    assertRefused(
        "HTTP/1.1 200 " + "x".repeat(1100) + "\r\nContent-Length: 2\r\n\r\nok",
        "status line longer than 1024 bytes");
  }

  @Test
  void aHeaderLineOverItsCap() throws Exception {
    assertRefused(
        HEAD + "X-A: " + "x".repeat(9000) + "\r\nContent-Length: 2\r\n\r\nok",
        "header line longer than 8192 bytes");
  }

  @Test
  void moreHeadersThanTheCap() throws Exception {
    StringBuilder headers = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      headers.append("X-H").append(i).append(": 1\r\n");
    }
    assertRefused(HEAD + headers + "Content-Length: 2\r\n\r\nok", "more than 100 headers");
  }

  @Test
  void moreHeaderBytesThanTheCap() throws Exception {
    StringBuilder headers = new StringBuilder();
    for (int i = 0; i < 20; i++) { // each line under its own cap, 80 KB in all
      headers.append("X-H").append(i).append(": ").append("x".repeat(4000)).append("\r\n");
    }
    assertRefused(
        HEAD + headers + "Content-Length: 2\r\n\r\nok", "headers longer than 65536 bytes in all");
  }

  @Test
  void anAnnouncedBodyOverTheCapIsRefusedUnread() throws Exception {
    assertRefused(
        HEAD + "Content-Length: 2000000000\r\n\r\n",
        "answer body of 2000000000 bytes is over the cap of 1000 bytes");
  }

  @Test
  void aChunkedBodyOverTheCap() throws Exception {
    assertRefused(
        CHUNKED + "5dc\r\n" + "x".repeat(1500) + "\r\n0\r\n\r\n",
        "answer body longer than the cap of 1000 bytes");
  }

  /**
   * A request for {@code /bad} gets {@code answer}; reading it whole must fail with {@code
   * message}. A request for {@code /ok} afterwards gets a good answer on a new connection.
   */
  private void assertRefused(String answer, String message) throws Exception {
    try (ScriptedServer server =
        new ScriptedServer(
            r -> r.requestLine().startsWith("GET /bad ") ? answer : sized("ok"), false)) {
      MalformedAnswerException e =
          assertThrows(MalformedAnswerException.class, () -> read(server, "/bad"));
      assertEquals(message, e.getMessage());
      assertEquals("ok", read(server, "/ok"));
      assertEquals(2, server.connections(), "the refused answer's connection was not reused");
    }
  }

  private String read(ScriptedServer server, String target) throws Exception {
    try (HttpResponse response =
        pool.exchange(
            server.address(), TIMEOUT, TIMEOUT, c -> c.send("GET", target, Map.of(), null, 0))) {
      return response.bodyText(BODY_CAP);
    }
  }

  private static String sized(String body) {
    return HEAD + "Content-Length: " + body.length() + "\r\n\r\n" + body;
  }
}
