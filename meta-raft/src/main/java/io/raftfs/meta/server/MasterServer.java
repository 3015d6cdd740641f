package io.raftfs.meta.server;

import io.raftfs.meta.config.MasterConfig;
import io.raftfs.meta.datanodes.DataNodeTracker;
import io.raftfs.meta.placement.BlockIdPool;
import io.raftfs.meta.placement.BlockPlacement;
import io.raftfs.meta.raft.RaftGateway;
import io.raftfs.meta.raft.ReadBarrier;
import io.raftfs.meta.raft.WriteBatcher;
import io.raftfs.meta.statemachine.MetaStateMachine;
import io.raftfs.meta.statemachine.MetaStore;
import io.raftfs.proto.BlockIdRange;
import io.raftfs.proto.ErrorCode;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.ReserveBlockIdsRequest;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One master: the Ratis server with the metadata state machine, and the HTTP server in front of it.
 * Tests start three in one JVM; {@link MasterMain} starts one per process.
 *
 * <pre>{@code
 * try (MasterServer master = MasterServer.start(MasterConfig.from(properties))) {
 *   System.out.println("serving on http://" + master.httpAddress());
 * }
 * }</pre>
 */
public final class MasterServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MasterServer.class);

  private final MasterConfig config;
  private final RaftGateway raft;
  private final MetaStore store;
  private final Vertx vertx;
  private final HttpServer http;
  private final ExecutorService background;

  private MasterServer(
      MasterConfig config,
      RaftGateway raft,
      MetaStore store,
      Vertx vertx,
      HttpServer http,
      ExecutorService background) {
    this.config = config;
    this.raft = raft;
    this.store = store;
    this.vertx = vertx;
    this.http = http;
    this.background = background;
  }

  /** Starts the Raft server and then the HTTP server; fails if either cannot bind its port. */
  public static MasterServer start(MasterConfig config) throws IOException {
    MetaStore store = new MetaStore();
    AtomicReference<BlockIdPool> blockIds = new AtomicReference<>();
    MetaStateMachine stateMachine =
        new MetaStateMachine(
            store,
            newLeader -> {
              LOG.info("master {}: leader is now {}", config.id(), newLeader);
              BlockIdPool pool = blockIds.get();
              if (pool != null) {
                pool.reset();
              }
            });
    ExecutorService background =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, "master-" + config.id() + "-background");
              thread.setDaemon(true);
              return thread;
            });
    RaftGateway raft;
    try {
      raft = RaftGateway.start(config, stateMachine, background);
    } catch (IOException | RuntimeException e) {
      background.shutdownNow();
      throw e;
    }
    Vertx vertx = Vertx.vertx();
    try {
      DataNodeTracker tracker =
          new DataNodeTracker(System::nanoTime, config.dataNodeDeadTimeoutMs());
      ClusterStatusCollector cluster =
          new ClusterStatusCollector(config, raft, store, tracker, background);
      AtomicReference<MetaService> service = new AtomicReference<>();
      WriteBatcher writes =
          new WriteBatcher(
              raft::submit,
              System::currentTimeMillis,
              config.batchMaxRequests(),
              config.batchMaxInFlight(),
              failure -> service.get().failed(failure));
      blockIds.set(
          new BlockIdPool(count -> reserveIds(writes, count), config.blockIdReservation()));
      MetaService meta =
          new MetaService(
              config,
              raft,
              store,
              writes,
              new ReadBarrier(raft::readBarrier),
              tracker,
              new BlockPlacement(tracker, store::isRegistered, RandomGenerator.getDefault()),
              blockIds.get(),
              () -> cluster.collect().thenApply(status -> okStatus(status)));
      service.set(meta);
      HttpServer http =
          await(
              new MasterHttpServer(meta, raft, store, tracker, cluster)
                  .listen(vertx, config.httpBindHost(), config.self().httpPort())
                  .toCompletionStage()
                  .toCompletableFuture(),
              "HTTP port " + config.self().httpPort());
      LOG.info(
          "master {} started: raft {}, http {}",
          config.id(),
          config.self().raftAddress(),
          config.self().httpAddress());
      return new MasterServer(config, raft, store, vertx, http, background);
    } catch (IOException | RuntimeException e) {
      vertx.close();
      background.shutdownNow();
      raft.close();
      throw e;
    }
  }

  private static CompletableFuture<BlockIdRange> reserveIds(WriteBatcher writes, long count) {
    MetaRequest reserve =
        MetaRequest.newBuilder()
            .setReserveBlockIds(ReserveBlockIdsRequest.newBuilder().setCount(count))
            .build();
    return writes
        .submit(reserve)
        .thenApply(
            response -> {
              if (response.getError() != ErrorCode.OK) {
                throw new CompletionException(
                    new IOException("block id reservation failed: " + response.getMessage()));
              }
              return response.getIdRange();
            });
  }

  private static io.raftfs.proto.MetaResponse okStatus(io.raftfs.proto.ClusterStatus status) {
    return io.raftfs.proto.MetaResponse.newBuilder()
        .setError(ErrorCode.OK)
        .setCluster(status)
        .build();
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
      await(http.close().toCompletionStage().toCompletableFuture(), "closing HTTP");
    } finally {
      vertx.close();
      background.shutdownNow();
      raft.close();
      LOG.info("master {} stopped", config.id());
    }
  }
}
