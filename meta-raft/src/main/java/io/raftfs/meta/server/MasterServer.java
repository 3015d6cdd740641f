package io.raftfs.meta.server;

import io.raftfs.concurrent.DaemonThreads;
import io.raftfs.meta.config.MasterConfig;
import io.raftfs.meta.datanodes.DataNodeTracker;
import io.raftfs.meta.events.ClusterEventLog;
import io.raftfs.meta.events.DataNodeLivenessWatcher;
import io.raftfs.meta.metrics.MasterMetrics;
import io.raftfs.meta.placement.BlockIdPool;
import io.raftfs.meta.placement.BlockPlacement;
import io.raftfs.meta.raft.RaftGateway;
import io.raftfs.meta.raft.ReadBarrier;
import io.raftfs.meta.raft.WriteBatcher;
import io.raftfs.meta.repair.DataNodeCommands;
import io.raftfs.meta.repair.ReplicationMonitor;
import io.raftfs.meta.repair.ScanPacer;
import io.raftfs.meta.statemachine.MetaStateMachine;
import io.raftfs.meta.statemachine.MetaStore;
import io.raftfs.proto.BlockIdRange;
import io.raftfs.proto.ErrorCode;
import io.raftfs.proto.LoggedWrite;
import io.raftfs.proto.MetaBatch;
import io.raftfs.proto.MetaResponse;
import io.raftfs.proto.ReserveBlockIdsRequest;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One master: the Ratis server with the metadata state machine, the leader's repair loop, and the
 * HTTP server in front of them. Tests start three in one JVM; {@link MasterMain} starts one per
 * process.
 *
 * <pre>{@code
 * try (MasterServer master = MasterServer.start(MasterConfig.from(properties))) {
 *   System.out.println("serving on http://" + master.httpAddress());
 * }
 * }</pre>
 */
public final class MasterServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MasterServer.class);
  private static final int EVENTS_KEPT = 200;
  private static final long LIVENESS_CHECK_MS = 250;

  private final MasterConfig config;
  private final RaftGateway raft;
  private final MetaStore store;
  private final Vertx vertx;
  private final HttpServer http;
  private final ScheduledExecutorService background;
  private final MasterMetrics metrics;

  private MasterServer(
      MasterConfig config,
      RaftGateway raft,
      MetaStore store,
      Vertx vertx,
      HttpServer http,
      ScheduledExecutorService background,
      MasterMetrics metrics) {
    this.metrics = metrics;
    this.config = config;
    this.raft = raft;
    this.store = store;
    this.vertx = vertx;
    this.http = http;
    this.background = background;
  }

  /** Starts the Raft server and then the HTTP server; fails if either cannot bind its port. */
  public static MasterServer start(MasterConfig config) throws IOException {
    ScheduledExecutorService background =
        Executors.newScheduledThreadPool(
            2, DaemonThreads.named("master-" + config.id() + "-background"));
    DataNodeTracker tracker = new DataNodeTracker(System::nanoTime, config.dataNodeDeadTimeoutMs());
    DataNodeCommands commands = new DataNodeCommands();
    MasterMetrics metrics = new MasterMetrics();
    ClusterEventLog events =
        new ClusterEventLog(config.id(), System::currentTimeMillis, EVENTS_KEPT);
    AtomicReference<RaftGateway> raftRef = new AtomicReference<>();
    AtomicReference<ReplicationMonitor> monitor = new AtomicReference<>();
    AtomicReference<BlockIdPool> blockIds = new AtomicReference<>();
    MetaStore store = new MetaStore(released -> monitor.get().released(released));
    BlockPlacement placement =
        new BlockPlacement(tracker, store::isInService, RandomGenerator.getDefault());
    monitor.set(
        new ReplicationMonitor(
            store,
            tracker,
            placement,
            commands,
            System::nanoTime,
            new ReplicationMonitor.Settings(
                config.dataNodeDeadTimeoutMs(),
                config.repairMaxCopiesPerNode(),
                config.repairCopyTimeoutMs(),
                config.orphanGraceMs())));
    MetaStateMachine stateMachine =
        new MetaStateMachine(
            store,
            newLeader -> {
              metrics.leaderChanged();
              recordLeaderChange(events, background, raftRef, newLeader);
              // Whatever this master decided as leader (id ranges, repairs, orders) is void now.
              if (blockIds.get() != null) {
                blockIds.get().reset();
              }
              monitor.get().reset();
              commands.clear();
            });
    RaftGateway raft;
    try {
      raft = RaftGateway.start(config, stateMachine, background);
      raftRef.set(raft);
    } catch (IOException | RuntimeException e) {
      background.shutdownNow();
      metrics.close();
      throw e;
    }
    metrics.watch(raft, store, tracker, monitor.get());
    monitor
        .get()
        .onCopyConfirmed(
            (blockId, target) -> {
              metrics.repairCompleted();
              events.blockRepaired(blockId, target);
            });
    Vertx vertx = Vertx.vertx();
    try {
      ClusterStatusCollector cluster =
          new ClusterStatusCollector(
              config, raft, store, tracker, monitor.get(), events, background);
      AtomicReference<MetaService> service = new AtomicReference<>();
      WriteBatcher writes =
          new WriteBatcher(
              batch -> {
                metrics.batch(batch.getRequestsCount());
                return raft.submit(batch);
              },
              System::currentTimeMillis,
              config.batchMaxRequests(),
              config.batchMaxInFlight(),
              config.batchOverlapMinRequests(),
              failure -> service.get().failed(failure));
      blockIds.set(new BlockIdPool(count -> reserveIds(raft, count), config.blockIdReservation()));
      MetaService meta =
          new MetaService(
              config,
              raft,
              store,
              writes,
              new ReadBarrier(raft::readBarrier),
              tracker,
              placement,
              blockIds.get(),
              () -> cluster.collect().thenApply(MasterServer::okStatus));
      service.set(meta);
      HttpServer http =
          await(
              new MasterHttpServer(
                      meta,
                      raft,
                      store,
                      tracker,
                      commands,
                      cluster,
                      metrics,
                      metrics::scrape,
                      stateMachine::digest)
                  .listen(vertx, config.httpBindHost(), config.self().httpPort())
                  .toCompletionStage()
                  .toCompletableFuture(),
              "HTTP port " + config.self().httpPort());
      scanWhenDue(background, raft, monitor.get(), config.repairScanIntervalMs());
      DataNodeLivenessWatcher liveness = new DataNodeLivenessWatcher(tracker, events);
      background.scheduleWithFixedDelay(
          () -> {
            try {
              liveness.check();
            } catch (RuntimeException e) {
              LOG.warn("data node liveness check failed", e);
            }
          },
          LIVENESS_CHECK_MS,
          LIVENESS_CHECK_MS,
          TimeUnit.MILLISECONDS);
      LOG.info(
          "master {} started: raft {}, http {}",
          config.id(),
          config.self().raftAddress(),
          config.self().httpAddress());
      return new MasterServer(config, raft, store, vertx, http, background, metrics);
    } catch (IOException | RuntimeException e) {
      vertx.close();
      background.shutdownNow();
      raft.close();
      metrics.close();
      throw e;
    }
  }

  /** Off Ratis' notifying thread: the event (and its log line) need the term. */
  private static void recordLeaderChange(
      ClusterEventLog events,
      ScheduledExecutorService background,
      AtomicReference<RaftGateway> raft,
      Object newLeader) {
    String leader = newLeader == null ? null : newLeader.toString();
    try {
      background.execute(
          () -> {
            long term = 0;
            try {
              term = raft.get() == null ? 0 : raft.get().info().getCurrentTerm();
            } catch (RuntimeException e) {
              // Closing: the event is still worth keeping, without its term.
            }
            events.leaderChanged(leader, term);
          });
    } catch (RejectedExecutionException e) {
      LOG.info("master closing; leader is now {}", leader);
    }
  }

  /** Asks the pacer every scan interval whether a replication scan is due, and runs it then. */
  private static void scanWhenDue(
      ScheduledExecutorService background,
      RaftGateway raft,
      ReplicationMonitor monitor,
      long intervalMillis) {
    ScanPacer pacer = new ScanPacer(intervalMillis);
    background.scheduleWithFixedDelay(
        () -> {
          boolean leader = raft.isLeader();
          long start = System.nanoTime();
          if (!pacer.due(start, leader, leader && monitor.hasWork())) {
            return;
          }
          try {
            if (leader) {
              monitor.scan();
            } else {
              monitor.observe(); // status and metrics on followers show the same figures
            }
          } catch (RuntimeException e) {
            // A failed scan must not end the schedule; the next one starts from scratch.
            LOG.warn("replication scan failed", e);
          }
          pacer.scanned(start, System.nanoTime());
        },
        intervalMillis,
        intervalMillis,
        TimeUnit.MILLISECONDS);
  }

  /** A log entry of its own: reservations are rare, and no client write waits behind one. */
  private static CompletableFuture<BlockIdRange> reserveIds(RaftGateway raft, long count) {
    MetaBatch reserve =
        MetaBatch.newBuilder()
            .setTimestampMillis(System.currentTimeMillis())
            .addRequests(
                LoggedWrite.newBuilder()
                    .setReserveBlockIds(ReserveBlockIdsRequest.newBuilder().setCount(count)))
            .build();
    return raft.submit(reserve)
        .thenApply(
            result -> {
              MetaResponse response = result.getResponses(0);
              if (response.getError() != ErrorCode.OK) {
                throw new CompletionException(
                    new IOException("block id reservation failed: " + response.getMessage()));
              }
              return result.getReservedIds(0);
            });
  }

  private static MetaResponse okStatus(io.raftfs.proto.ClusterStatus status) {
    return MetaResponse.newBuilder().setError(ErrorCode.OK).setCluster(status).build();
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

  public String id() {
    return config.id();
  }

  public MasterConfig config() {
    return config;
  }

  /** {@code host:port} of the HTTP server, as clients and data nodes should use it. */
  public String httpAddress() {
    return config.self().host() + ":" + http.actualPort();
  }

  /** True while this master is the leader and ready to serve. */
  public boolean isLeader() {
    return raft.isLeader();
  }

  public long appliedIndex() {
    return raft.info().getLastAppliedIndex();
  }

  public MetaStore store() {
    return store;
  }

  @Override
  public void close() throws IOException {
    try {
      background.shutdownNow();
      await(http.close().toCompletionStage().toCompletableFuture(), "closing HTTP");
    } finally {
      vertx.close();
      raft.close();
      metrics.close();
      LOG.info("master {} stopped", config.id());
    }
  }
}
