package io.raftfs.s3;

import io.raftfs.auth.AccessKey;
import io.raftfs.client.FileSystemClient;
import io.raftfs.client.meta.MetaClient;
import io.raftfs.concurrent.DaemonThreads;
import io.raftfs.s3.config.S3GatewayConfig;
import io.raftfs.s3.http.GatewayTls;
import io.raftfs.s3.http.RequestBodyStream;
import io.raftfs.s3.metrics.S3Metrics;
import io.raftfs.tls.TlsIdentity;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The S3 gateway: an HTTP server that serves the S3 API from a raftfs cluster. Stateless: every
 * request becomes client calls to the masters and data nodes, signed with the gateway's superuser
 * key and carrying the end user's SigV4 proof, so the masters authenticate the user and decide as
 * that user. Blocking client calls run on a bounded worker pool, never on the event loop. Its
 * metrics are on {@link S3Metrics#PATH}, which no bucket name can be.
 */
public final class S3Gateway implements AutoCloseable {
  /** How long a body may stall, either way, before the request fails. */
  static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);

  private final Vertx vertx;
  private final WorkerExecutor workers;
  private final FileSystemClient files;
  // A copy reads its source on one of these while the request's worker writes the new file.
  private final ExecutorService copyReaders =
      Executors.newCachedThreadPool(DaemonThreads.named("s3-copy-reader"));
  private final S3Dispatcher dispatcher;
  private final S3Metrics metrics = new S3Metrics();
  private final MetaClient meta;
  private HttpServer server;
  private GatewayReporter reporter;

  private S3Gateway(S3GatewayConfig config) {
    AccessKey key = config.client().credentials().orElseThrow();
    MetaClient meta =
        new MetaClient(
            config.client().masters(),
            config.client().metaOptions(),
            key,
            config.client().tls().orElse(null));
    this.meta = meta;
    this.files = new FileSystemClient(meta, config.client());
    this.vertx = Vertx.vertx();
    this.workers =
        vertx.createSharedWorkerExecutor(
            "s3-worker", config.workers(), STALL_TIMEOUT.toMinutes() * 10, TimeUnit.MINUTES);
    this.dispatcher = new S3Dispatcher(meta, files, config, STALL_TIMEOUT, copyReaders);
  }

  /**
   * Starts serving on the configured address, over TLS unless it is off; blocks until it listens.
   *
   * @throws java.io.IOException naming a TLS file that is missing, unreadable or not from the
   *     cluster's CA
   */
  public static S3Gateway start(S3GatewayConfig config) throws Exception {
    // Before anything starts: a bad certificate is a configuration error, not a half-started
    // gateway.
    TlsIdentity tls = config.tls() == null ? null : config.tls().load();
    // Clients that send Expect: 100-continue (botocore for every upload) wait for it before the
    // body; the body is read as the request is served, so it may always come.
    HttpServerOptions options =
        new HttpServerOptions().setIdleTimeout(120).setHandle100ContinueAutomatically(true);
    if (tls != null) {
      GatewayTls.apply(options, tls);
    }
    S3Gateway gateway = new S3Gateway(config);
    try {
      gateway.server =
          gateway
              .vertx
              .createHttpServer(options)
              .requestHandler(gateway::accept)
              .listen(config.port(), config.bindHost())
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      gateway.reporter =
          GatewayReporter.start(
              gateway.meta,
              GatewayReporter.address(
                  config.advertisedAddress(), config.bindHost(), gateway.port()),
              tls != null,
              System.currentTimeMillis(),
              config.reportInterval());
    } catch (Exception e) {
      gateway.close();
      throw e;
    }
    return gateway;
  }

  /** The port it listens on (the chosen one when configured as 0). */
  public int port() {
    return server.actualPort();
  }

  private void accept(HttpServerRequest http) {
    if (S3Metrics.PATH.equals(http.path())) {
      metrics.serve(http);
      return;
    }
    metrics.watch(http);
    Context context = vertx.getOrCreateContext();
    RequestBodyStream body = new RequestBodyStream(http, context, STALL_TIMEOUT);
    workers.executeBlocking(
        () -> {
          dispatcher.serve(http, body);
          return null;
        },
        false);
  }

  @Override
  public void close() {
    if (reporter != null) {
      reporter.close();
    }
    try {
      if (server != null) {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      // Closing anyway: the client and Vert.x below.
    } finally {
      workers.close();
      copyReaders.shutdownNow();
      files.close();
      vertx.close();
      metrics.close();
    }
  }
}
