package io.raftfs.data.testing;

import io.raftfs.data.replication.HostPort;
import io.raftfs.protocol.DataNodeProtocol;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The data node's HTTP API as a test (and benchmark) client would use it: uploads stream from a
 * {@link BlockPattern} with back-pressure, downloads are checked against it on the fly.
 */
public final class BlockClient implements AutoCloseable {
  private static final int PIECE = 64 * 1024;

  private final HttpClient client;
  private final Context context;

  private volatile String token;

  public BlockClient(Vertx vertx) {
    // Requests start on one event loop context: response listeners then run as the head
    // arrives, before the first body chunk (from a foreign thread, chunks could slip past).
    this.context = vertx.getOrCreateContext();
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(64));
  }

  /** Status and JSON body (empty object if none) of a finished request. */
  public record Reply(int status, JsonObject json, io.vertx.core.MultiMap headers) {}

  /** Status, headers and what a streamed download measured. */
  public record Download(
      int status,
      long length,
      long crc32c,
      boolean matchesPattern,
      io.vertx.core.MultiMap headers) {
    public long headerCrc32c() {
      return Long.parseLong(headers.get(DataNodeProtocol.CRC32C));
    }
  }

  public Future<Reply> put(
      String address, long blockId, BlockPattern pattern, List<String> pipeline) {
    return put(address, blockId, pattern, pattern.crc32c(), pipeline);
  }

  /** Uploads {@code pattern} announcing {@code crc32c} (tests pass a wrong one on purpose). */
  public Future<Reply> put(
      String address, long blockId, BlockPattern pattern, long crc32c, List<String> pipeline) {
    return onContext(() -> startPut(address, blockId, pattern, crc32c, pipeline));
  }

  private Future<Reply> startPut(
      String address, long blockId, BlockPattern pattern, long crc32c, List<String> pipeline) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.PUT)
            .setServer(HostPort.parse(address))
            .setURI("/blocks/" + Long.toUnsignedString(blockId))
            .putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(pattern.length()))
            .putHeader(DataNodeProtocol.CRC32C, Long.toString(crc32c));
    if (!pipeline.isEmpty()) {
      options.putHeader(DataNodeProtocol.PIPELINE, String.join(",", pipeline));
    }
    withToken(options);
    return client
        .request(options)
        .compose(
            request -> {
              Future<HttpClientResponse> response = request.response();
              writeFrom(request, pattern, 0);
              return response;
            })
        .compose(BlockClient::reply);
  }

  /** An upload whose body the test writes piece by piece, e.g. to break it off half way. */
  public record OpenUpload(HttpClientRequest request, Future<Reply> reply) {
    public void write(byte[] bytes) {
      request.write(Buffer.buffer(bytes)).await();
    }
  }

  /** Sends the head of a PUT; the body is written through the returned {@link OpenUpload}. */
  public OpenUpload open(
      String address, long blockId, long length, long crc32c, List<String> pipeline) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.PUT)
            .setServer(HostPort.parse(address))
            .setURI("/blocks/" + Long.toUnsignedString(blockId))
            .putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(length))
            .putHeader(DataNodeProtocol.CRC32C, Long.toString(crc32c));
    if (!pipeline.isEmpty()) {
      options.putHeader(DataNodeProtocol.PIPELINE, String.join(",", pipeline));
    }
    withToken(options);
    Promise<OpenUpload> opened = Promise.promise();
    context.runOnContext(
        v ->
            client
                .request(options)
                .map(r -> new OpenUpload(r, r.response().compose(BlockClient::reply)))
                .onComplete(opened));
    return opened.future().await();
  }

  private static void writeFrom(HttpClientRequest request, BlockPattern pattern, long offset) {
    long position = offset;
    while (position < pattern.length()) {
      if (request.writeQueueFull()) {
        long resumeAt = position;
        request.drainHandler(v -> writeFrom(request, pattern, resumeAt));
        return;
      }
      int n = (int) Math.min(PIECE, pattern.length() - position);
      request.write(Buffer.buffer(pattern.bytes(position, n)));
      position += n;
    }
    request.end();
  }

  public Future<Reply> request(HttpMethod method, String address, String uri) {
    return onContext(() -> startRequest(method, address, uri));
  }

  private Future<Reply> startRequest(HttpMethod method, String address, String uri) {
    RequestOptions options =
        new RequestOptions().setMethod(method).setServer(HostPort.parse(address)).setURI(uri);
    withToken(options);
    return client.request(options).compose(HttpClientRequest::send).compose(BlockClient::reply);
  }

  /** Sends {@code header} as the block token of every later request (null: none). */
  public void useToken(String header) {
    token = header;
  }

  private void withToken(RequestOptions options) {
    String header = token;
    if (header != null) {
      options.putHeader(DataNodeProtocol.BLOCK_TOKEN, header);
    }
  }

  public Future<Reply> delete(String address, long blockId) {
    return request(HttpMethod.DELETE, address, "/blocks/" + Long.toUnsignedString(blockId));
  }

  public Future<Reply> head(String address, long blockId) {
    return request(HttpMethod.HEAD, address, "/blocks/" + Long.toUnsignedString(blockId));
  }

  /** Downloads a block (or a range, if {@code range} is not null), checking it on the fly. */
  public Future<Download> get(String address, long blockId, BlockPattern expected, String range) {
    return onContext(() -> startGet(address, blockId, expected, range));
  }

  private Future<Download> startGet(
      String address, long blockId, BlockPattern expected, String range) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setServer(HostPort.parse(address))
            .setURI("/blocks/" + Long.toUnsignedString(blockId));
    if (range != null) {
      options.putHeader("Range", range);
    }
    withToken(options);
    long firstOffset = firstOffset(range, expected.length());
    return client
        .request(options)
        .compose(HttpClientRequest::send)
        .compose(
            response -> {
              Promise<Download> done = Promise.promise();
              CRC32C crc = new CRC32C();
              long[] received = {0};
              boolean[] matches = {true};
              response.handler(
                  chunk -> {
                    byte[] bytes = chunk.getBytes();
                    crc.update(bytes);
                    if (matches[0]) {
                      byte[] want = expected.bytes(firstOffset + received[0], bytes.length);
                      matches[0] = java.util.Arrays.equals(want, bytes);
                    }
                    received[0] += bytes.length;
                  });
              response.exceptionHandler(done::tryFail);
              response.endHandler(
                  v ->
                      done.tryComplete(
                          new Download(
                              response.statusCode(),
                              received[0],
                              crc.getValue(),
                              matches[0],
                              response.headers())));
              return done.future();
            });
  }

  private static long firstOffset(String range, long length) {
    if (range == null || !range.startsWith("bytes=")) {
      return 0;
    }
    String spec = range.substring("bytes=".length());
    if (spec.startsWith("-")) {
      return Math.max(0, length - Long.parseLong(spec.substring(1)));
    }
    try {
      return Long.parseLong(spec.substring(0, spec.indexOf('-')));
    } catch (RuntimeException e) {
      return 0;
    }
  }

  private static Future<Reply> reply(HttpClientResponse response) {
    return response
        .body()
        .map(
            body -> {
              JsonObject json;
              try {
                json = body.length() == 0 ? new JsonObject() : new JsonObject(body);
              } catch (RuntimeException e) {
                json = new JsonObject().put("text", body.toString());
              }
              return new Reply(response.statusCode(), json, response.headers());
            });
  }

  private <T> Future<T> onContext(java.util.function.Supplier<Future<T>> operation) {
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> operation.get().onComplete(done));
    return done.future();
  }

  @Override
  public void close() {
    client.close();
  }
}
