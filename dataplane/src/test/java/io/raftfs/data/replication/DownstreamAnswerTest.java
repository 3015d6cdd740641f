package io.raftfs.data.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.raftfs.data.testing.BlockClient;
import io.raftfs.data.testing.BlockClient.Reply;
import io.raftfs.data.testing.BlockFiles;
import io.raftfs.data.testing.BlockPattern;
import io.raftfs.data.testing.DataNodeFixture;
import io.raftfs.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A downstream that answers nonsense fails the chain, blamed, and this node keeps nothing. */
class DownstreamAnswerTest {
  private static final Buffer CHUNK = Buffer.buffer(new byte[16 * 1024]);

  @TempDir Path dir;
  private Vertx vertx;
  private DataNodeFixture nodes;
  private BlockClient client;
  private HttpServer downstream;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    nodes = DataNodeFixture.start(vertx, dir, 1);
    client = new BlockClient(vertx);
  }

  @AfterEach
  void stop() {
    client.close();
    if (downstream != null) {
      downstream.close().await();
    }
    nodes.close();
    vertx.close().await();
  }

  @Test
  void endlessAnswerFailsTheChainBlamingTheDownstream() throws Exception {
    String fake = fakeDownstream(response -> endless(response.setChunked(true).setStatusCode(201)));

    assertChainFailsBlaming(fake, 7);
  }

  @Test
  void createdWithoutReplicaListFailsTheChainBlamingTheDownstream() throws Exception {
    String fake = fakeDownstream(response -> response.setStatusCode(201).end("not json"));

    assertChainFailsBlaming(fake, 8);
  }

  private void assertChainFailsBlaming(String fake, long blockId) throws Exception {
    BlockPattern pattern = new BlockPattern(blockId, 100_000);

    Reply reply =
        client
            .put(nodes.addresses().get(0), blockId, pattern, List.of(fake))
            .await(30, TimeUnit.SECONDS);

    assertEquals(502, reply.status(), reply.json().encode());
    assertEquals(fake, reply.json().getString("failedNode"));
    Await.until(
        Duration.ofSeconds(10),
        "nothing stored and no temp file",
        () ->
            BlockFiles.blockFiles(nodes.dir(0)).isEmpty()
                && BlockFiles.tempFiles(nodes.dir(0)).isEmpty());
  }

  /** Takes the whole upload, then answers with {@code answer}. */
  private String fakeDownstream(Consumer<HttpServerResponse> answer) {
    downstream =
        vertx
            .createHttpServer()
            .requestHandler(
                (HttpServerRequest request) ->
                    request.body().onSuccess(body -> answer.accept(request.response())))
            .listen(0, "127.0.0.1")
            .await();
    return "127.0.0.1:" + downstream.actualPort();
  }

  /** Writes until the connection is gone, one chunk per turn of the event loop. */
  private void endless(HttpServerResponse response) {
    if (response.closed()) {
      return;
    }
    response.write(CHUNK);
    if (response.writeQueueFull()) {
      response.drainHandler(v -> endless(response));
    } else {
      vertx.runOnContext(v -> endless(response));
    }
  }
}
