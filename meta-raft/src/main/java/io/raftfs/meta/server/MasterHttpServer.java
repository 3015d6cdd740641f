package io.raftfs.meta.server;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.raftfs.auth.AuthenticationException;
import io.raftfs.client.meta.ClusterStatusJson;
import io.raftfs.meta.auth.ExchangeAuthenticator;
import io.raftfs.meta.auth.NodeCertificateException;
import io.raftfs.meta.auth.NodeCertificates;
import io.raftfs.meta.metrics.MasterMetrics;
import io.raftfs.meta.statemachine.MetaStateMachine;
import io.raftfs.meta.users.Identity;
import io.raftfs.proto.BlockReport;
import io.raftfs.proto.BlockReportResponse;
import io.raftfs.proto.ErrorCode;
import io.raftfs.proto.Heartbeat;
import io.raftfs.proto.HeartbeatResponse;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaRequestList;
import io.raftfs.proto.MetaResponse;
import io.raftfs.proto.MetaResponseList;
import io.raftfs.protocol.OneLine;
import io.raftfs.tls.TlsIdentity;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The master's HTTP endpoints, all registered here: the metadata API ({@code POST /v1/meta}), the
 * data nodes' control channel ({@code /v1/heartbeat}, {@code /v1/blockreport}), this master's own
 * Raft state for its peers ({@code /v1/self}), the cluster status as JSON ({@code /api/cluster}),
 * Prometheus metrics ({@code /metrics}) and the cluster page ({@code /}, from the jar's {@code
 * raftfs-ui/}). Protobuf bodies are read whole, each route's at most what it needs, and a body that
 * stalls is cut off ({@link BodyStallGuard}): a buffer held by an idle client is memory lost.
 *
 * <p>Every POST must say it carries protobuf: a web page can send a cross-origin "simple" POST
 * ({@code text/plain}) without the browser asking first, but never one of this type.
 */
final class MasterHttpServer {
  private static final String PROTOBUF = "application/x-protobuf";

  /** One data node's state: a few hundred bytes. */
  private static final long HEARTBEAT_BODY_BYTES = 64L << 10;

  /** A chunk of a full report: at most 100,000 blocks, some 2 MB; room for older data nodes. */
  private static final long BLOCK_REPORT_BODY_BYTES = 16L << 20;

  /** A client's batch of up to 512 calls; a commit lists its file's blocks. */
  private static final long META_BODY_BYTES = 16L << 20;

  private final MetaService meta;
  private final ExchangeAuthenticator authenticator;
  private final DataNodeChannel dataNodes;
  private final ClusterStatusCollector cluster;
  private final Supplier<String> metrics;
  private final Supplier<MetaStateMachine.Digest> digest;
  private final String host;
  private final int port;
  private final Duration bodyStallTimeout;
  private final Duration idleTimeout;
  private final TlsIdentity tls; // null: plaintext
  private final NodeCertificates nodeCertificates; // null: plaintext
  private volatile Vertx vertx;
  private volatile HttpServer server;

  MasterHttpServer(
      MetaService meta,
      ExchangeAuthenticator authenticator,
      DataNodeChannel dataNodes,
      ClusterStatusCollector cluster,
      Supplier<String> metrics,
      Supplier<MetaStateMachine.Digest> digest,
      String host,
      int port,
      Duration bodyStallTimeout,
      Duration idleTimeout,
      TlsIdentity tls) {
    this.tls = tls;
    this.nodeCertificates = tls == null ? null : new NodeCertificates(tls);
    this.digest = new PacedDigest(digest, System::nanoTime);
    this.meta = meta;
    this.authenticator = authenticator;
    this.metrics = metrics;
    this.dataNodes = dataNodes;
    this.cluster = cluster;
    this.host = host;
    this.port = port;
    this.bodyStallTimeout = bodyStallTimeout;
    this.idleTimeout = idleTimeout;
  }

  /** Binds the port; fails (holding nothing) if it cannot. */
  void start() throws IOException {
    vertx = Vertx.vertx();
    try {
      server = await(listen(vertx).toCompletionStage().toCompletableFuture(), "HTTP port " + port);
    } catch (IOException | RuntimeException e) {
      vertx.close();
      throw e;
    }
  }

  /** Closes the port, then Vert.x' threads. */
  void stop() throws IOException {
    try {
      await(server.close().toCompletionStage().toCompletableFuture(), "closing HTTP");
    } finally {
      await(vertx.close().toCompletionStage().toCompletableFuture(), "closing Vert.x");
    }
  }

  /** The bound port (the configured one, or the one chosen for port 0). */
  int port() {
    return server.actualPort();
  }

  private Future<HttpServer> listen(Vertx vertx) {
    Router router = Router.router(vertx);
    router.post("/v1/*").handler(MasterHttpServer::requireProtobuf);
    router.post("/v1/*").handler(new BodyStallGuard(vertx, bodyStallTimeout));
    router.post("/v1/meta").handler(body(META_BODY_BYTES)).handler(this::meta);
    // Off the event loop: checking a node may resolve its host name, and a chunk of a full block
    // report is 100,000 blocks to record (the metadata API shares the event loop).
    router
        .post("/v1/heartbeat")
        .handler(body(HEARTBEAT_BODY_BYTES))
        .blockingHandler(this::heartbeat, false);
    router
        .post("/v1/blockreport")
        .handler(body(BLOCK_REPORT_BODY_BYTES))
        .blockingHandler(this::blockReport, false);
    router
        .get("/v1/self")
        .handler(ctx -> protobuf(ctx, Buffer.buffer(cluster.self().toByteArray())));
    router.get("/api/cluster").handler(this::clusterJson);
    // For checkers: replicas at the same applied index must report the same digest.
    router
        .get("/v1/digest")
        .blockingHandler(
            ctx -> {
              MetaStateMachine.Digest current = digest.get();
              ctx.response()
                  .putHeader("Content-Type", "application/json")
                  .end(
                      new JsonObject()
                          .put("appliedIndex", current.appliedIndex())
                          .put("sha256", current.sha256())
                          .encode());
            });
    router.get("/health").handler(ctx -> ctx.response().end("ok\n"));
    router
        .get("/metrics")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("Content-Type", MasterMetrics.CONTENT_TYPE)
                    .end(metrics.get()));
    router.get().handler(StaticHandler.create("raftfs-ui").setCachingEnabled(false));
    router
        .route()
        .last()
        .handler(ctx -> error(ctx.response(), 404, "no such route: " + ctx.request().path()));
    HttpServerOptions options =
        new HttpServerOptions()
            // HTTP/1.1 only: a JDK HttpClient left at its default asks to upgrade a GET to
            // cleartext HTTP/2, and a scrape of /metrics that way was seen to hang 90 s.
            .setHttp2ClearTextEnabled(false)
            // An idle keep-alive connection holds a socket and its buffers until closed.
            .setIdleTimeout(Math.toIntExact(idleTimeout.toMillis()))
            .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    if (tls != null) {
      ServerTls.apply(options, tls);
    }
    return vertx
        .createHttpServer(options)
        .requestHandler(router)
        .invalidRequestHandler(MasterHttpServer::malformed)
        .listen(port, host);
  }

  private void meta(RoutingContext ctx) {
    long started = System.nanoTime();
    MetaRequestList requests;
    byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    try {
      if (body.length == 0) {
        throw new InvalidProtocolBufferException("empty");
      }
      requests = MetaRequestList.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      error(ctx.response(), 400, "body is not a MetaRequestList");
      return;
    }
    HttpServerRequest http = ctx.request();
    Identity identity;
    try {
      identity =
          authenticator.check(
              http.method().name(),
              http.path(),
              http.query(),
              http::getHeader,
              body,
              requests,
              ServerTls.peerCertificates(http));
    } catch (AuthenticationException e) {
      if (e.dependsOnKeys() && !meta.isLeader()) {
        // A follower may not have applied a new user or key yet: the leader decides, and serves
        // nothing either until it knows the key.
        MetaResponseList.Builder redirect = MetaResponseList.newBuilder();
        requests.getRequestsList().forEach(request -> redirect.addResponses(meta.notLeader()));
        protobuf(ctx, Buffer.buffer(redirect.build().toByteArray()));
        return;
      }
      ctx.response().putHeader("WWW-Authenticate", "AWS4-HMAC-SHA256");
      error(ctx.response(), 401, e.getMessage());
      return;
    } catch (NodeCertificateException e) {
      error(ctx.response(), 403, e.getMessage());
      return;
    }
    String refusal = ExchangeLimits.refusal(requests);
    if (refusal != null) {
      error(ctx.response(), 413, refusal);
      return;
    }
    List<CompletableFuture<MetaResponse>> answers = new ArrayList<>(requests.getRequestsCount());
    for (MetaRequest request : requests.getRequestsList()) {
      answers.add(handle(request, started, peer(ctx), identity));
    }
    CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
        .whenComplete(
            (done, failure) -> {
              MetaResponseList.Builder list = MetaResponseList.newBuilder();
              answers.forEach(answer -> list.addResponses(answer.join()));
              protobuf(ctx, Buffer.buffer(list.build().toByteArray()));
            });
  }

  /** Runs one request as the user it acts for ({@link ExchangeAuthenticator#actingAs}). */
  private CompletableFuture<MetaResponse> handle(
      MetaRequest request, long started, InetAddress caller, Identity exchange) {
    Identity identity;
    try {
      identity = authenticator.actingAs(exchange, request);
    } catch (AuthenticationException e) {
      if (e.dependsOnKeys() && !meta.isLeader()) {
        // As for the exchange's own key: the leader may know a user this master has not applied.
        return CompletableFuture.completedFuture(meta.notLeader());
      }
      return CompletableFuture.completedFuture(
          MetaResponse.newBuilder()
              .setError(ErrorCode.END_USER_PROOF_REFUSED)
              .setMessage(e.getMessage())
              .build());
    }
    return meta.handle(request, started, caller, identity);
  }

  private void heartbeat(RoutingContext ctx) {
    Heartbeat heartbeat;
    try {
      heartbeat = Heartbeat.parseFrom(ctx.body().buffer().getBytes());
    } catch (InvalidProtocolBufferException | NullPointerException e) {
      error(ctx.response(), 400, "body is not a Heartbeat");
      return;
    }
    if (!fromNode(ctx, heartbeat.getNodeId())) {
      return;
    }
    HeartbeatResponse response = dataNodes.heartbeat(heartbeat, peer(ctx));
    protobuf(ctx, Buffer.buffer(response.toByteArray()));
  }

  private void blockReport(RoutingContext ctx) {
    BlockReport report;
    try {
      report = BlockReport.parseFrom(ctx.body().buffer().getBytes());
    } catch (InvalidProtocolBufferException | NullPointerException e) {
      error(ctx.response(), 400, "body is not a BlockReport");
      return;
    }
    if (!fromNode(ctx, report.getNodeId())) {
      return;
    }
    BlockReportResponse response = dataNodes.blockReport(report, peer(ctx));
    protobuf(ctx, Buffer.buffer(response.toByteArray()));
  }

  /**
   * Over TLS, whether the connection carries {@code nodeId}'s certificate; if not, answers 403.
   * Without TLS the registered host check in {@link DataNodeChannel} is all there is.
   */
  private boolean fromNode(RoutingContext ctx, String nodeId) {
    if (tls == null) {
      return true;
    }
    try {
      nodeCertificates.requireDataNode(ServerTls.peerCertificates(ctx.request()), nodeId);
      return true;
    } catch (NodeCertificateException e) {
      error(ctx.response(), 403, e.getMessage());
      return false;
    }
  }

  private void clusterJson(RoutingContext ctx) {
    cluster
        .collect()
        .whenComplete(
            (status, failure) -> {
              if (failure != null) {
                error(ctx.response(), 500, String.valueOf(failure));
                return;
              }
              // The cluster page of one master polls the others while its own is down: only
              // pages served by a master of this cluster may read the answer.
              String origin = ctx.request().getHeader("Origin");
              if (origin != null && cluster.peerOrigins().contains(origin)) {
                ctx.response()
                    .putHeader("Access-Control-Allow-Origin", origin)
                    .putHeader("Vary", "Origin");
              }
              ctx.response()
                  .putHeader("Content-Type", "application/json")
                  .putHeader("Cache-Control", "no-store")
                  .end(ClusterStatusJson.print(status));
            });
  }

  /**
   * A request Netty could not parse (a bad request line, a line or headers over its limits): the
   * status Vert.x' own handler sends, with a message, and the connection is closed, as where the
   * next request would start is unknown.
   */
  private static void malformed(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status =
        cause instanceof TooLongHttpLineException
            ? 414
            : cause instanceof TooLongHttpHeaderException ? 431 : 400;
    request.response().putHeader("Connection", "close");
    error(
        request.response(),
        status,
        "malformed request: " + OneLine.of(String.valueOf(cause.getMessage()), OneLine.MAX_CHARS));
    request.connection().close();
  }

  private static BodyHandler body(long limit) {
    return BodyHandler.create(false).setBodyLimit(limit);
  }

  /** The address the connection comes from (an IP literal: no lookup), or null if unknown. */
  private static InetAddress peer(RoutingContext ctx) {
    SocketAddress remote = ctx.request().remoteAddress();
    if (remote == null || remote.hostAddress() == null) {
      return null;
    }
    try {
      return InetAddress.getByName(remote.hostAddress());
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static void requireProtobuf(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.strip().toLowerCase(Locale.ROOT).startsWith(PROTOBUF)) {
      error(ctx.response(), 415, "Content-Type must be " + PROTOBUF);
      return;
    }
    ctx.next();
  }

  private static <T> T await(CompletableFuture<T> future, String what) throws IOException {
    try {
      return future.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IOException(what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException(what + ": timed out", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(what + ": interrupted", e);
    }
  }

  private static void protobuf(RoutingContext ctx, Buffer body) {
    ctx.response().putHeader("Content-Type", PROTOBUF).end(body);
  }

  private static void error(HttpServerResponse response, int status, String message) {
    response
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", message).encode());
  }
}
