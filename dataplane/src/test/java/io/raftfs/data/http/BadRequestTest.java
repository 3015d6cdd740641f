package io.raftfs.data.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.data.testing.BlockClient;
import io.raftfs.data.testing.BlockClient.Reply;
import io.raftfs.data.testing.BlockFiles;
import io.raftfs.data.testing.BlockPattern;
import io.raftfs.data.testing.DataNodeFixture;
import io.raftfs.protocol.DataNodeProtocol;
import io.raftfs.testing.Await;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Malformed, lying or broken-off requests get a clear status, and leave nothing on disk. */
class BadRequestTest {
  @TempDir static Path dir;
  private static Vertx vertx;
  private static DataNodeFixture nodes;
  private static DataNodeFixture smallNodes;
  private static BlockClient client;
  private static HttpClient http;
  private static String node;
  private static Context context;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    nodes = DataNodeFixture.start(vertx, dir.resolve("normal"), 1);
    // May hold 1 MiB of blocks.
    smallNodes =
        DataNodeFixture.start(
            vertx, dir.resolve("small"), 1, b -> b.capacityBytes(1 << 20).reserveBytes(0));
    client = new BlockClient(vertx);
    http = vertx.createHttpClient();
    context = vertx.getOrCreateContext();
    node = nodes.addresses().get(0);
  }

  @AfterAll
  static void stop() {
    client.close();
    nodes.close();
    smallNodes.close();
    vertx.close().await();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "abc",
        "12a",
        "-1",
        "..%2F..%2Fnode-id",
        "..%2F",
        "%2E%2E",
        "123456789012345678901",
        "18446744073709551616",
        "%20",
        "1%00"
      })
  void invalidBlockIdIs400ForEveryMethodAndTouchesNothing(String id) throws Exception {
    for (HttpMethod method :
        List.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.DELETE, HttpMethod.PUT)) {
      RequestOptions options =
          new RequestOptions()
              .setMethod(method)
              .setHost("127.0.0.1")
              .setPort(nodes.node(0).port())
              .setURI("/blocks/" + id)
              .putHeader(DataNodeProtocol.CRC32C, "1");
      int status =
          call(
              () ->
                  http.request(options)
                      .compose(
                          r -> method == HttpMethod.PUT ? r.send(Buffer.buffer("abc")) : r.send())
                      .compose(r -> r.body().map(b -> r.statusCode())));
      assertEquals(400, status, method + " /blocks/" + id);
    }
    assertTrue(BlockFiles.tempFiles(nodes.dir(0)).isEmpty());
    assertTrue(BlockFiles.blockFiles(nodes.dir(0)).isEmpty());
  }

  @Test
  void missingOrMalformedCrcHeaderIs400() throws Exception {
    for (String crc : new String[] {null, "", "abc", "-5", "4294967296", "0x10"}) {
      RequestOptions options =
          new RequestOptions()
              .setMethod(HttpMethod.PUT)
              .setHost("127.0.0.1")
              .setPort(nodes.node(0).port())
              .setURI("/blocks/500");
      if (crc != null) {
        options.putHeader(DataNodeProtocol.CRC32C, crc);
      }
      Reply reply = send(options, Buffer.buffer("hello"));
      assertEquals(400, reply.status(), "CRC header " + crc);
      assertTrue(reply.json().getString("error").contains(DataNodeProtocol.CRC32C));
    }
    assertTrue(BlockFiles.tempFiles(nodes.dir(0)).isEmpty());
  }

  @Test
  void uploadWithoutContentLengthIs400() throws Exception {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.PUT)
            .setHost("127.0.0.1")
            .setPort(nodes.node(0).port())
            .setURI("/blocks/501")
            .putHeader(DataNodeProtocol.CRC32C, "1");
    Reply reply =
        call(
            () ->
                http.request(options)
                    .compose(r -> r.setChunked(true).send(Buffer.buffer("chunked body")))
                    .compose(BadRequestTest::reply));
    assertEquals(400, reply.status());
    assertTrue(reply.json().getString("error").contains("Content-Length"));
  }

  @Test
  void malformedPipelineIs400() throws Exception {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.PUT)
            .setHost("127.0.0.1")
            .setPort(nodes.node(0).port())
            .setURI("/blocks/502")
            .putHeader(DataNodeProtocol.CRC32C, "1")
            .putHeader(DataNodeProtocol.PIPELINE, "127.0.0.1:notaport");
    assertEquals(400, send(options, Buffer.buffer("x")).status());
  }

  @ParameterizedTest
  @ValueSource(strings = {",,,", " , ", "127.0.0.1:1,", ",127.0.0.1:1", "127.0.0.1:1,,127.0.0.1:2"})
  void pipelineWithABlankEntryIs400(String pipeline) throws Exception {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.PUT)
            .setHost("127.0.0.1")
            .setPort(nodes.node(0).port())
            .setURI("/blocks/505")
            .putHeader(DataNodeProtocol.CRC32C, "1")
            .putHeader(DataNodeProtocol.PIPELINE, pipeline);
    Reply reply = send(options, Buffer.buffer("x"));
    assertEquals(400, reply.status());
    assertTrue(reply.json().getString("error").contains("blank entry"), reply.json().encode());
    assertEquals(404, client.head(node, 505).await(10, TimeUnit.SECONDS).status());
  }

  @Test
  void wrongCrcIs422AndStoresNothing() throws Exception {
    BlockPattern pattern = new BlockPattern(1, 200_000);
    Reply reply =
        client.put(node, 503, pattern, pattern.crc32c() + 1, List.of()).await(10, TimeUnit.SECONDS);
    assertEquals(422, reply.status());
    assertTrue(reply.json().getString("error").contains("CRC32C mismatch"));
    assertTrue(BlockFiles.tempFiles(nodes.dir(0)).isEmpty());
    assertTrue(BlockFiles.blockFiles(nodes.dir(0)).isEmpty());
    assertEquals(404, client.head(node, 503).await(10, TimeUnit.SECONDS).status());
  }

  @Test
  void bodyShorterThanContentLengthThenDisconnectStoresNothing() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", nodes.node(0).port())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("PUT /blocks/504 HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n"
                  + DataNodeProtocol.CRC32C
                  + ": 7\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[300_000]);
      out.flush();
      Await.until(
          Duration.ofSeconds(10),
          "the upload reaches the temp file",
          () -> !BlockFiles.tempFiles(nodes.dir(0)).isEmpty());
    }
    Await.until(
        Duration.ofSeconds(10),
        "the temp file is gone",
        () -> BlockFiles.tempFiles(nodes.dir(0)).isEmpty());
    assertTrue(BlockFiles.blockFiles(nodes.dir(0)).isEmpty());
    assertEquals(404, client.head(node, 504).await(10, TimeUnit.SECONDS).status());
  }

  @Test
  void smallBodyCutOffLeavesNothingAndTheBlockCanBeUploadedAgain() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", nodes.node(0).port())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("PUT /blocks/505 HTTP/1.1\r\nHost: x\r\nContent-Length: 50000\r\n"
                  + DataNodeProtocol.CRC32C
                  + ": 7\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[1000]);
      out.flush();
    }
    BlockPattern pattern = new BlockPattern(5, 50_000);
    // Accepted only once the cut-off upload let go of the block id and its space.
    Await.until(
        Duration.ofSeconds(10),
        "block 505 uploads",
        () -> client.put(node, 505, pattern, List.of()).await().status() == 201);
    assertTrue(client.get(node, 505, pattern, null).await(10, TimeUnit.SECONDS).matchesPattern());
    assertTrue(BlockFiles.tempFiles(nodes.dir(0)).isEmpty());
    assertEquals(204, client.delete(node, 505).await(10, TimeUnit.SECONDS).status());
  }

  @Test
  void uploadPastCapacityIs507BeforeAnyByteIsWritten() throws Exception {
    String small = smallNodes.addresses().get(0);
    BlockPattern fits = new BlockPattern(1, 600_000);
    assertEquals(201, client.put(small, 1, fits, List.of()).await(10, TimeUnit.SECONDS).status());

    Reply reply =
        client.put(small, 2, new BlockPattern(2, 600_000), List.of()).await(10, TimeUnit.SECONDS);

    assertEquals(507, reply.status());
    assertTrue(reply.json().getString("error").contains("not enough space"));
    assertTrue(BlockFiles.tempFiles(smallNodes.dir(0)).isEmpty());
    assertEquals(
        2, BlockFiles.blockFiles(smallNodes.dir(0)).size(), "only block 1 and its sidecar");
  }

  @Test
  void unknownRouteIs404Json() throws Exception {
    Reply reply = client.request(HttpMethod.GET, node, "/nothing/here").await(10, TimeUnit.SECONDS);
    assertEquals(404, reply.status());
    assertTrue(reply.json().containsKey("error"));
  }

  private static Reply send(RequestOptions options, Buffer body) throws Exception {
    return call(
        () -> http.request(options).compose(r -> r.send(body)).compose(BadRequestTest::reply));
  }

  private static Future<Reply> reply(HttpClientResponse response) {
    return response
        .body()
        .map(b -> new Reply(response.statusCode(), new JsonObject(b), response.headers()));
  }

  /**
   * Runs a request from an event loop context: started from the test thread, a response's first
   * chunks could arrive before its body handler is set.
   */
  private static <T> T call(Supplier<Future<T>> request) throws Exception {
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> request.get().onComplete(done));
    return done.future().await(10, TimeUnit.SECONDS);
  }
}
