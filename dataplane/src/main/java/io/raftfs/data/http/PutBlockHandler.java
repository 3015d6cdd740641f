package io.raftfs.data.http;

import io.raftfs.auth.BlockTokenException;
import io.raftfs.auth.BlockTokens;
import io.raftfs.data.access.BlockAccess;
import io.raftfs.data.replication.ChainUpload;
import io.raftfs.data.replication.ForwardTargets;
import io.raftfs.data.replication.HostPort;
import io.raftfs.data.replication.SenderPace;
import io.raftfs.data.replication.UploadFailure;
import io.raftfs.data.replication.UploadLimits;
import io.raftfs.data.replication.UploadResult;
import io.raftfs.data.schedule.Scheduler;
import io.raftfs.data.store.BlockExistsException;
import io.raftfs.data.store.BlockId;
import io.raftfs.data.store.BlockStore;
import io.raftfs.data.store.InsufficientSpaceException;
import io.raftfs.data.store.PendingBlock;
import io.raftfs.data.tls.NodeClient;
import io.raftfs.proto.BlockToken;
import io.raftfs.protocol.DataNodeProtocol;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code PUT /blocks/{id}}: validates the request, checks its block token ({@link BlockAccess}: a
 * WRITE token whose chain ends with this node and the pipeline) and that its pipeline names only
 * nodes this node may forward to ({@link ForwardTargets}), reserves space, then hands the body to a
 * {@link ChainUpload}, which forwards the same token to the node the token names next. Rejections
 * (400, 401, 403, 409, 413, 503, 507) happen before any byte is written and before any space is
 * reserved.
 */
final class PutBlockHandler implements Handler<RoutingContext> {
  private final Vertx vertx;
  private final NodeClient client;
  private final BlockStore store;
  private final Supplier<String> selfAddress;
  private final ForwardTargets targets;
  private final BlockAccess access;
  private final UploadLimits limits;
  private final Scheduler scheduler;

  PutBlockHandler(
      Vertx vertx,
      NodeClient client,
      BlockStore store,
      Supplier<String> selfAddress,
      ForwardTargets targets,
      BlockAccess access,
      UploadLimits limits,
      Scheduler scheduler) {
    this.access = access;
    this.vertx = vertx;
    this.client = client;
    this.store = store;
    this.selfAddress = selfAddress;
    this.targets = targets;
    this.limits = limits;
    this.scheduler = scheduler;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    // Before any async step, or body chunks arrive with no one to take them.
    request.pause();
    long blockId;
    long length;
    long crc32c;
    List<String> pipeline;
    try {
      blockId = BlockId.parse(ctx.pathParam("id"));
      length = contentLength(request);
      crc32c = DataNodeProtocol.parseCrc32c(request.getHeader(DataNodeProtocol.CRC32C));
      pipeline = pipeline(request.getHeader(DataNodeProtocol.PIPELINE));
    } catch (IllegalArgumentException e) {
      reject(request, 400, e.getMessage());
      return;
    }
    List<String> chainFromHere = new ArrayList<>();
    chainFromHere.add(selfAddress.get());
    chainFromHere.addAll(pipeline);
    BlockToken token;
    try {
      token =
          access.check(
              request.getHeader(DataNodeProtocol.BLOCK_TOKEN),
              blockId,
              BlockTokens.Op.WRITE,
              chainFromHere);
    } catch (BlockTokenException e) {
      reject(request, e.status(), e.getMessage());
      return;
    }
    try {
      targets.check(pipeline);
    } catch (UploadFailure e) {
      reject(request, e.status(), DataNodeProtocol.PIPELINE + ": " + e.getMessage());
      return;
    }
    if (length > limits.maxBlockBytes()) {
      // A reservation is held until the body ends: one for a huge length would fill the node.
      reject(
          request,
          413,
          "block of "
              + length
              + " bytes is longer than this node's limit of "
              + limits.maxBlockBytes());
      return;
    }
    PendingBlock pending;
    try {
      pending = store.begin(blockId, length);
    } catch (BlockExistsException e) {
      reject(request, 409, e.getMessage());
      return;
    } catch (InsufficientSpaceException e) {
      reject(request, 507, e.getMessage());
      return;
    }
    if (request.headers().contains(HttpHeaders.EXPECT, HttpHeaders.CONTINUE, true)) {
      request.response().writeContinue();
    }
    ChainUpload.run(
            vertx,
            client,
            request,
            pending,
            crc32c,
            pipeline,
            token,
            selfAddress.get(),
            new SenderPace(scheduler, limits))
        .onSuccess(result -> created(request, result))
        .onFailure(e -> failed(request, e));
  }

  private static long contentLength(HttpServerRequest request) {
    String value = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (value == null) {
      throw new IllegalArgumentException("Content-Length is required");
    }
    try {
      long length = Long.parseLong(value);
      if (length >= 0) {
        return length;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("bad Content-Length '" + value + "'");
  }

  /** An absent or empty header is no pipeline; a blank entry (e.g. {@code ",,"}) is an error. */
  private static List<String> pipeline(String header) {
    List<String> nodes = new ArrayList<>();
    if (header == null || header.isBlank()) {
      return nodes;
    }
    // -1 keeps trailing empty entries, which split would drop: ",,," is not an empty pipeline.
    for (String node : header.split(",", -1)) {
      String trimmed = node.trim();
      if (trimmed.isEmpty()) {
        throw new IllegalArgumentException(
            DataNodeProtocol.PIPELINE + ": blank entry in '" + header + "'");
      }
      try {
        HostPort.parse(trimmed);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(DataNodeProtocol.PIPELINE + ": " + e.getMessage());
      }
      nodes.add(trimmed);
    }
    return nodes;
  }

  private static void created(HttpServerRequest request, UploadResult result) {
    JsonObject body =
        new JsonObject()
            .put("blockId", Json.unsigned(result.block().blockId()))
            .put("length", result.block().length())
            .put("crc32c", result.block().crc32c())
            .put("replicas", new JsonArray(result.replicas()));
    if (!request.response().closed()) {
      request
          .response()
          .setStatusCode(201)
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end(body.encode());
    }
  }

  private static void failed(HttpServerRequest request, Throwable e) {
    if (e instanceof UploadFailure failure) {
      JsonObject body = new JsonObject().put("error", failure.getMessage());
      if (failure.failedNode() != null) {
        body.put("failedNode", failure.failedNode());
      }
      if (failure.status() == 408) {
        // The rest of a body that slow would hold the connection as long: drop it.
        request.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        request.response().endHandler(v -> request.connection().close());
      }
      HttpErrors.send(request, failure.status(), body);
    } else {
      HttpErrors.send(request, 500, "upload failed: " + e);
    }
  }

  /**
   * Answers before reading the body. The body is drained, not left unread: closing a socket with
   * unread input resets it and the client may never see the answer.
   */
  private static void reject(HttpServerRequest request, int status, String message) {
    if (request.headers().contains(HttpHeaders.EXPECT, HttpHeaders.CONTINUE, true)) {
      // The client sends no body without a 100: this connection cannot carry another request.
      request.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    }
    if (!request.isEnded()) {
      request.handler(chunk -> {});
      request.resume();
    }
    HttpErrors.send(request, status, message);
  }
}
