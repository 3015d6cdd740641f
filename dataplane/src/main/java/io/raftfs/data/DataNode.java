package io.raftfs.data;

import io.raftfs.data.access.BlockAccess;
import io.raftfs.data.config.DataNodeConfig;
import io.raftfs.data.http.DataNodeRouter;
import io.raftfs.data.http.HttpErrors;
import io.raftfs.data.master.HeartbeatService;
import io.raftfs.data.master.MasterClient;
import io.raftfs.data.metrics.DataNodeMetrics;
import io.raftfs.data.replication.BlockCopier;
import io.raftfs.data.replication.ForwardTargets;
import io.raftfs.data.schedule.Scheduler;
import io.raftfs.data.scrub.BadReplicaReporter;
import io.raftfs.data.scrub.BlockScrubber;
import io.raftfs.data.scrub.ScrubStats;
import io.raftfs.data.store.BlockStore;
import io.raftfs.data.store.NodeIdentity;
import io.raftfs.data.tls.NodeClient;
import io.raftfs.data.tls.NodeTls;
import io.raftfs.data.tls.TlsEngine;
import io.raftfs.data.traffic.ClientTraffic;
import io.raftfs.tls.NodeName;
import io.raftfs.tls.TlsIdentity;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One data node, in-process: the block store on disk, its HTTP server and its link to the masters.
 *
 * <pre>{@code
 * DataNode node = DataNode.start(vertx, DataNodeConfig.builder(dir).build()).await();
 * String address = node.httpAddress();   // "127.0.0.1:PORT"
 * node.stop().await();
 * }</pre>
 */
public final class DataNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DataNode.class);

  /** Fewer handler calls than the 8 KiB default, still little memory per chunk. */
  private static final int MAX_CHUNK_BYTES = 64 * 1024;

  private static final int IDLE_TIMEOUT_SECONDS = 120;

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final DataNodeConfig config;
  private final BlockStore store;
  private final String nodeId;
  private final NodeClient client;
  private final MasterClient masters; // null without masters
  private final ForwardTargets forwardTargets;
  private final BlockAccess access;
  private final TlsIdentity tls; // null: plaintext
  private final ClientTraffic traffic = new ClientTraffic(Clock.systemUTC());
  private HttpServer server;
  private String httpAddress;
  private HeartbeatService heartbeats;
  private BlockScrubber scrubber;
  private DataNodeMetrics metrics;

  private DataNode(
      Vertx vertx,
      boolean ownsVertx,
      DataNodeConfig config,
      BlockStore store,
      String nodeId,
      TlsIdentity tls) {
    this.tls = tls;
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.config = config;
    this.store = store;
    this.nodeId = nodeId;
    this.masters = config.masters().isEmpty() ? null : new MasterClient(config.masters(), tls);
    this.forwardTargets =
        masters == null ? ForwardTargets.anywhere() : ForwardTargets.registeredOnly();
    this.access = masters == null ? BlockAccess.open() : BlockAccess.fromMasters(Clock.systemUTC());
    HttpClientOptions clientOptions =
        new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true);
    PoolOptions pool = new PoolOptions().setHttp1MaxSize(32);
    this.client =
        tls == null
            ? NodeClient.plaintext(vertx.createHttpClient(clientOptions, pool))
            : NodeClient.overTls(vertx.createHttpClient(NodeTls.client(clientOptions, tls), pool));
  }

  /**
   * Starts a data node on {@code vertx}, talking to {@code config.masters()} (if any) through a
   * {@link MasterClient}. The node does not close {@code vertx}.
   */
  public static Future<DataNode> start(Vertx vertx, DataNodeConfig config) {
    return start(vertx, config, false);
  }

  /** Blocking start on a Vert.x instance of its own, which {@link #close()} closes. */
  public static DataNode start(DataNodeConfig config) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      return start(vertx, config, true).await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      throw e;
    }
  }

  private static Future<DataNode> start(Vertx vertx, DataNodeConfig config, boolean ownsVertx) {
    Context context = vertx.getOrCreateContext();
    Promise<DataNode> started = Promise.promise();
    context.runOnContext(
        v ->
            vertx
                .executeBlocking(
                    () -> {
                      TlsIdentity tls =
                          config.tls().isPresent() ? config.tls().get().load(LOG::warn) : null;
                      BlockStore store =
                          BlockStore.open(
                              config.dir(), config.capacityBytes(), config.reserveBytes());
                      try {
                        return new DataNode(
                            vertx, ownsVertx, config, store, identify(store, config, tls), tls);
                      } catch (IOException | RuntimeException e) {
                        store.close();
                        throw e;
                      }
                    },
                    false)
                .compose(DataNode::listen)
                .onComplete(started));
    return started.future();
  }

  /**
   * The node's id: the one in its data directory, else a new one, which over TLS is the id its
   * certificate names (so a certificate can be issued before the node first starts).
   */
  private static String identify(BlockStore store, DataNodeConfig config, TlsIdentity tls)
      throws IOException {
    if (tls == null) {
      return NodeIdentity.loadOrCreate(store.layout());
    }
    Path certFile = config.tls().orElseThrow().certFile();
    NodeName certified =
        tls.self()
            .filter(name -> name.role() == NodeName.Role.DATANODE)
            .orElseThrow(() -> new IOException(certFile + ": not a data node certificate"));
    String id = NodeIdentity.loadOrAdopt(store.layout(), certified.id());
    if (!id.equals(certified.id())) {
      throw new IOException(
          certFile + ": names data node " + certified.id() + ", but this node is " + id);
    }
    return id;
  }

  private Future<DataNode> listen() {
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(config.httpHost())
            .setPort(config.httpPort())
            .setMaxChunkSize(MAX_CHUNK_BYTES)
            .setIdleTimeout(IDLE_TIMEOUT_SECONDS)
            .setTcpNoDelay(true)
            // HTTP/1.1 only: a JDK HttpClient left at its default asks to upgrade a GET to
            // cleartext HTTP/2, and such exchanges were seen to hang (raftfs speaks HTTP/1.1).
            .setHttp2ClearTextEnabled(false);
    BadReplicaReporter reporter =
        masters != null
            ? masters::reportBadReplica
            : (blockId, node) -> LOG.warn("no masters to tell that block {} is corrupt", blockId);
    scrubber =
        new BlockScrubber(
            vertx,
            store,
            nodeId,
            reporter,
            Scheduler.of(vertx),
            Clock.systemUTC(),
            config.scrubSchedule(),
            traffic);
    server =
        vertx
            .createHttpServer(tls == null ? options : NodeTls.server(options, tls))
            .invalidRequestHandler(HttpErrors::malformed);
    Router router =
        DataNodeRouter.create(
            vertx,
            client,
            store,
            nodeId,
            () -> httpAddress,
            scrubber::stats,
            traffic,
            forwardTargets,
            access,
            config.uploadLimits());
    metrics = new DataNodeMetrics(store, scrubber::stats);
    metrics.install(router);
    server.requestHandler(router);
    return server
        .listen()
        .recover(e -> failStart(bindFailure(e)))
        .map(
            s -> {
              httpAddress = config.httpHost() + ":" + s.actualPort();
              BlockCopier copier = new BlockCopier(vertx, client, store, forwardTargets);
              if (masters != null) {
                heartbeats =
                    new HeartbeatService(
                        vertx,
                        store,
                        copier,
                        forwardTargets,
                        access,
                        masters,
                        Scheduler.of(vertx),
                        nodeId,
                        httpAddress,
                        config.heartbeatInterval(),
                        config.blockReportInterval(),
                        config.incrementalReportInterval());
                heartbeats.start();
              }
              scrubber.start();
              LOG.info(
                  "data node {} serving {} at {}{}",
                  nodeId,
                  config.dir(),
                  httpAddress,
                  tls == null ? " (plaintext)" : " (TLS by " + TlsEngine.describe() + ")");
              return this;
            });
  }

  private Throwable bindFailure(Throwable e) {
    String where = config.httpHost() + ":" + config.httpPort();
    if (e instanceof BindException || String.valueOf(e.getMessage()).contains("in use")) {
      return new IOException("cannot listen on " + where + ": address already in use", e);
    }
    return new IOException("cannot listen on " + where + ": " + e.getMessage(), e);
  }

  private <T> Future<T> failStart(Throwable e) {
    return stop().transform(ar -> Future.failedFuture(e));
  }

  public String nodeId() {
    return nodeId;
  }

  /** {@code host:port} of the HTTP server, as clients and other nodes address it. */
  public String httpAddress() {
    return httpAddress;
  }

  public int port() {
    return server.actualPort();
  }

  public Path dir() {
    return config.dir();
  }

  public DataNodeConfig config() {
    return config;
  }

  /** The data nodes this node sends blocks to (down a pipeline or as a copy). */
  public ForwardTargets forwardTargets() {
    return forwardTargets;
  }

  /** What the block scrubber has checked and found so far. */
  public ScrubStats scrubStats() {
    return scrubber.stats();
  }

  /**
   * Stops at once: uploads in progress are cut off and leave no block; stored blocks stay. A Vert.x
   * instance the node made is closed by {@link #close()} only.
   */
  public Future<Void> stop() {
    return stop(Duration.ZERO);
  }

  /**
   * Stops accepting connections, lets requests in progress finish for up to {@code grace}, then
   * stops heartbeating and releases the data directory.
   */
  public Future<Void> stop(Duration grace) {
    if (heartbeats != null) {
      heartbeats.close();
    }
    Future<Void> serverClosed =
        server == null
            ? Future.succeededFuture()
            : server.shutdown(grace.toMillis(), TimeUnit.MILLISECONDS);
    return serverClosed
        .eventually(client::close)
        .eventually(
            () ->
                vertx.executeBlocking(
                    () -> {
                      if (scrubber != null) {
                        scrubber.close(); // waits for a slice in progress: off the event loop
                      }
                      if (masters != null) {
                        masters.close(); // after the scrubber, which reports through it
                      }
                      if (metrics != null) {
                        metrics.close();
                      }
                      store.close();
                      return null;
                    },
                    false))
        .onComplete(ar -> LOG.info("data node {} stopped", nodeId));
  }

  /** Blocking {@link #stop()}; see {@link #close(Duration)}. */
  @Override
  public void close() throws Exception {
    close(Duration.ZERO);
  }

  /**
   * Blocking {@link #stop(Duration)}, then closes the Vert.x instance if the node made it; not for
   * use on a Vert.x thread.
   */
  public void close(Duration grace) throws Exception {
    try {
      stop(grace).await(grace.toMillis() + 30_000, TimeUnit.MILLISECONDS);
    } finally {
      if (ownsVertx) {
        // Outside the stop() chain: that chain runs on the event loops this shuts down.
        vertx.close().await(30, TimeUnit.SECONDS);
      }
    }
  }
}
