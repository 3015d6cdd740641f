package io.raftfs.data.replication;

import io.raftfs.auth.BlockTokenVerifier;
import io.raftfs.data.tls.NodeClient;
import io.raftfs.proto.BlockToken;
import io.raftfs.protocol.DataNodeProtocol;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The PUT of a block to the next node of a chain. The body is written by the caller chunk by chunk;
 * the next node checks length and CRC itself and stores nothing from a cut connection, so {@link
 * #abort()} (a reset) is all it takes to leave nothing behind there.
 */
final class Downstream {
  /** A silent downstream fails the upload instead of hanging it. */
  static final long IDLE_TIMEOUT_MS = TimeUnit.SECONDS.toMillis(30);

  private final String address;
  private final HttpClientRequest request;
  private final Future<List<String>> replicas;

  private Downstream(String address, HttpClientRequest request) {
    this.address = address;
    this.request = request;
    // Failures reach the upload through the response future; no need to log them twice.
    request.exceptionHandler(e -> {});
    this.replicas =
        request
            .response()
            .compose(r -> AnswerBody.read(r, address).map(body -> outcome(r.statusCode(), body)))
            .recover(
                e ->
                    Future.failedFuture(
                        e instanceof UploadFailure
                            ? e
                            : new UploadFailure(
                                502,
                                "downstream " + address + " failed: " + e.getMessage(),
                                address)));
  }

  /**
   * Connects to the first node of {@code pipeline}, the node {@code granted} names at that address,
   * and sends the request head, with the upload's block token (null: none) unchanged.
   *
   * @param granted the token's fields; the default instance when tokens are off
   */
  static Future<Downstream> open(
      NodeClient client,
      List<String> pipeline,
      BlockToken granted,
      long blockId,
      long length,
      long crc32c,
      String token) {
    String next = pipeline.get(0);
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.PUT)
            .setServer(HostPort.parse(next))
            .setURI(DataNodeProtocol.blockPath(blockId))
            .setIdleTimeout(IDLE_TIMEOUT_MS)
            .putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(length))
            .putHeader(DataNodeProtocol.CRC32C, Long.toString(crc32c));
    if (token != null) {
      options.putHeader(DataNodeProtocol.BLOCK_TOKEN, token);
    }
    if (pipeline.size() > 1) {
      options.putHeader(
          DataNodeProtocol.PIPELINE, String.join(",", pipeline.subList(1, pipeline.size())));
    }
    return client
        .request(options, BlockTokenVerifier.nodeIdOf(granted, next))
        .map(request -> new Downstream(next, request))
        .recover(
            e ->
                Future.failedFuture(
                    new UploadFailure(
                        502, "cannot reach downstream " + next + ": " + e.getMessage(), next)));
  }

  String address() {
    return address;
  }

  HttpClientRequest request() {
    return request;
  }

  /** The downstream's replicas once it answered 201; an {@link UploadFailure} (502) otherwise. */
  Future<List<String>> replicas() {
    return replicas;
  }

  void abort() {
    request.reset();
  }

  /**
   * Deletes a block from nodes that stored it although the upload failed upstream of them. Best
   * effort: what this misses is an orphan the masters' garbage collection removes.
   */
  static Future<Void> deleteFrom(
      NodeClient client, List<String> nodes, BlockToken granted, long blockId, String token) {
    List<Future<?>> deletes = new ArrayList<>();
    for (String node : nodes) {
      RequestOptions options =
          new RequestOptions()
              .setMethod(HttpMethod.DELETE)
              .setServer(HostPort.parse(node))
              .setURI(DataNodeProtocol.blockPath(blockId));
      if (token != null) {
        options.putHeader(DataNodeProtocol.BLOCK_TOKEN, token);
      }
      deletes.add(
          client
              .request(options, BlockTokenVerifier.nodeIdOf(granted, node))
              .compose(HttpClientRequest::send)
              .compose(r -> AnswerBody.read(r, node)));
    }
    return Future.join(deletes).mapEmpty();
  }

  /** The replicas of a 201; an {@link UploadFailure} blaming the right node otherwise. */
  private List<String> outcome(int status, Buffer body) {
    if (status != 201) {
      throw failureOf(status, body);
    }
    try {
      JsonArray array = new JsonObject(body).getJsonArray("replicas");
      List<String> replicas = new ArrayList<>();
      array.forEach(r -> replicas.add((String) r));
      return replicas;
    } catch (RuntimeException e) {
      // Not the answer this protocol gives: the downstream is broken, whatever it stored.
      throw new UploadFailure(
          502, "downstream " + address + " answered 201 without a replica list", address);
    }
  }

  private UploadFailure failureOf(int status, Buffer body) {
    String message;
    String failedNode = address;
    try {
      JsonObject json = new JsonObject(body);
      message = json.getString("error", body.toString());
      if (status == 502 && json.getString("failedNode") != null) {
        failedNode = json.getString("failedNode");
      }
    } catch (RuntimeException e) {
      message = body.toString();
    }
    return new UploadFailure(
        502, "downstream " + address + " answered " + status + ": " + message, failedNode);
  }
}
