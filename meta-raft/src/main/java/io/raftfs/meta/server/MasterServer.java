package io.raftfs.meta.server;

import io.raftfs.auth.AccessKey;
import io.raftfs.auth.BlockTokens;
import io.raftfs.auth.CredentialsFile;
import io.raftfs.concurrent.DaemonThreads;
import io.raftfs.meta.auth.AccessKeys;
import io.raftfs.meta.auth.BlockTokenIssuer;
import io.raftfs.meta.auth.ExchangeAuthenticator;
import io.raftfs.meta.auth.NodeCertificates;
import io.raftfs.meta.config.MasterConfig;
import io.raftfs.meta.config.MasterConfigKeys;
import io.raftfs.meta.datanodes.DataNodeTracker;
import io.raftfs.meta.datanodes.RegisteredNodeCheck;
import io.raftfs.meta.events.ClusterEventLog;
import io.raftfs.meta.events.DataNodeLivenessWatcher;
import io.raftfs.meta.gateways.GatewayRegistry;
import io.raftfs.meta.metrics.MasterMetrics;
import io.raftfs.meta.operation.BlockSizes;
import io.raftfs.meta.operation.MasterContext;
import io.raftfs.meta.operation.Operations;
import io.raftfs.meta.operation.ReserveBlockIds;
import io.raftfs.meta.operation.RetireBlocks;
import io.raftfs.meta.operation.RollBlockKey;
import io.raftfs.meta.placement.BlockIdPool;
import io.raftfs.meta.placement.BlockPlacement;
import io.raftfs.meta.raft.LeadershipHandover;
import io.raftfs.meta.raft.RaftGateway;
import io.raftfs.meta.raft.ReadBarrier;
import io.raftfs.meta.raft.WriteBatcher;
import io.raftfs.meta.repair.DataNodeCommands;
import io.raftfs.meta.repair.ReleasedBlocks;
import io.raftfs.meta.repair.ReplicationMonitor;
import io.raftfs.meta.repair.ReplicationScans;
import io.raftfs.meta.statemachine.MetaStateMachine;
import io.raftfs.meta.statemachine.MetaStore;
import io.raftfs.meta.users.UserKey;
import io.raftfs.tls.NodeName;
import io.raftfs.tls.TlsIdentity;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
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
 *
 * <p>The constructor assembles the parts in dependency order and opens nothing; {@link #start}
 * starts them in one listed order (Raft before the HTTP server that serves from it, the periodic
 * tasks last) and {@link #close} stops them in the reverse order, after handing leadership to a
 * follower if this master leads ({@link LeadershipHandover}).
 */
public final class MasterServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MasterServer.class);
  private static final int EVENTS_KEPT = 200;
  private static final long LIVENESS_CHECK_MS = 250;
  // How often the leader checks whether the newest block key is a roll period old.
  private static final long KEY_ROLL_CHECK_MS = 1000;

  private final MasterConfig config;
  private final MetaStore store;
  private final RaftGateway raft;
  private final MasterHttpServer http;
  private final Lifecycle lifecycle;

  /**
   * @param root the superuser's key; null when requests need no signature
   * @param userKey the masters' user key; null when they keep no users
   * @param tls this master's certificates; null when it speaks plaintext
   */
  private MasterServer(MasterConfig config, AccessKey root, UserKey userKey, TlsIdentity tls) {
    this.config = config;
    // Threads start with the first task; shut down after Raft, whose replies complete here.
    ScheduledExecutorService background =
        Executors.newScheduledThreadPool(
            2, DaemonThreads.named("master-" + config.id() + "-background"));
    MasterMetrics metrics = new MasterMetrics();
    DataNodeTracker tracker =
        new DataNodeTracker(
            System::nanoTime,
            config.dataNodeDeadTimeoutMs(),
            config.repairCorruptUnconfirmedTimeoutMs());
    DataNodeCommands commands = new DataNodeCommands();
    ClusterEventLog events =
        new ClusterEventLog(config.id(), System::currentTimeMillis, EVENTS_KEPT);

    // The replicated state, and the repair loop that reads it.
    ReleasedBlocks released = new ReleasedBlocks();
    store = new MetaStore(Operations.ALL, released, config.superuserGroup());
    BlockPlacement placement =
        new BlockPlacement(tracker, store::isInService, RandomGenerator.getDefault());

    // Raft, and the leader's ways into it.
    LeaderChanges leaderChanges = new LeaderChanges();
    MetaStateMachine stateMachine = new MetaStateMachine(store, leaderChanges);
    raft = new RaftGateway(config, stateMachine, background, tls);
    FailureAnswers failures = new FailureAnswers(config, raft);
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
            failures::failed);
    BlockIdPool blockIds =
        new BlockIdPool(
            count ->
                raft.submit(ReserveBlockIds.entry(count, System.currentTimeMillis()))
                    .thenApply(ReserveBlockIds::reserved),
            config.blockIdReservation(),
            System::nanoTime,
            // Fine enough that uploads are given up at most a 64th of the grace late.
            config.orphanGraceMs() * 1_000_000L / 64);
    ReplicationMonitor monitor =
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
                config.orphanGraceMs()),
            released,
            new ReplicationMonitor.Retirement(
                blockIds::handedOutBefore,
                below -> raft.submit(RetireBlocks.entry(below, System.currentTimeMillis()))));
    monitor.onCopyConfirmed(
        (blockId, target) -> {
          metrics.repairCompleted();
          events.blockRepaired(blockId, target);
        });
    BlockTokenIssuer tokens =
        config.rootCredentialsFile() == null
            ? BlockTokenIssuer.disabled()
            : BlockTokenIssuer.signing(
                store::blockKeys,
                key -> raft.submit(RollBlockKey.entry(key, System.currentTimeMillis())),
                Clock.systemUTC(),
                config.blockKeyRollPeriod(),
                config.blockTokenLifetime(),
                config.blockKeyPropagation());
    monitor.copyTokens(
        (blockId, target) ->
            tokens.sign(blockId, Set.of(BlockTokens.Op.WRITE), "", List.of(target)));
    leaderChanges.onChange(leader -> metrics.leaderChanged());
    leaderChanges.onChange(leader -> recordLeaderChange(events, background, raft, leader));
    // Whatever this master decided as leader (id ranges, repairs, orders) is void now.
    leaderChanges.onChange(leader -> blockIds.reset(store.nextBlockId()));
    leaderChanges.onChange(leader -> monitor.reset());
    leaderChanges.onChange(leader -> commands.clear());
    // A new leader makes sure it has a key to sign with (off Ratis' notifying thread).
    leaderChanges.onChange(
        leader -> {
          if (config.id().equals(leader)) {
            background.execute(tokens::rollIfDue);
          }
        });

    // What clients, data nodes, peers and scrapers talk to.
    RegisteredNodeCheck registeredNodes =
        new RegisteredNodeCheck(store::registeredAddress, RegisteredNodeCheck.DNS);
    GatewayRegistry gateways =
        new GatewayRegistry(config.s3GatewaysMax(), config.s3GatewayExpiryMs());
    ClusterStatusCollector cluster =
        new ClusterStatusCollector(
            config, raft, store, tracker, monitor, events, gateways, background, tls);
    ExchangeAuthenticator authenticator =
        tls == null
            ? authenticator(config, root, store, userKey)
            : authenticator(config, root, store, userKey)
                .requiringNodeCertificates(new NodeCertificates(tls));
    MetaService meta =
        new MetaService(
            Operations.ALL,
            new MasterContext(
                store,
                writes,
                new ReadBarrier(raft::readBarrier),
                tracker,
                placement,
                blockIds,
                registeredNodes,
                failures::failed,
                cluster::collect,
                new BlockSizes(config.blockSizeMin(), config.blockSizeMax()),
                tokens,
                userKey,
                authenticator.endUserProofs(),
                gateways),
            raft,
            failures,
            metrics);
    metrics.watch(raft, store, tracker, monitor);
    http =
        new MasterHttpServer(
            meta,
            authenticator,
            new DataNodeChannel(
                registeredNodes,
                tracker,
                commands,
                raft::isLeader,
                store::registeredNodes,
                tokens.enabled() ? store::blockKeys : null),
            cluster,
            metrics::scrape,
            stateMachine::digest,
            config.httpBindHost(),
            config.self().httpPort(),
            Duration.ofMillis(config.httpBodyStallTimeoutMs()),
            Duration.ofMillis(config.httpIdleTimeoutMs()),
            tls);
    PeriodicTask scans =
        new PeriodicTask(
            background,
            "replication scan",
            config.repairScanIntervalMs(),
            new ReplicationScans(
                monitor, raft::isLeader, config.repairScanIntervalMs(), System::nanoTime));
    PeriodicTask keyRolls =
        new PeriodicTask(
            background,
            "block key roll",
            KEY_ROLL_CHECK_MS,
            () -> {
              if (raft.isLeader()) {
                tokens.rollIfDue();
              }
            });
    // A follower not heard from within the longest election timeout would not win the vote.
    LeadershipHandover handover =
        new LeadershipHandover(raft, config.id(), config.electionTimeoutMaxMs());
    DataNodeLivenessWatcher liveness = new DataNodeLivenessWatcher(tracker, events);
    PeriodicTask livenessChecks =
        new PeriodicTask(
            background, "data node liveness check", LIVENESS_CHECK_MS, liveness::check);

    lifecycle =
        new Lifecycle()
            .add("metrics", () -> {}, metrics::close)
            .add("background threads", () -> {}, background::shutdownNow)
            .add("raft", raft::start, raft::close)
            .add("http", http::start, http::stop)
            .add("replication scans", scans::start, scans::stop)
            .add("liveness checks", livenessChecks::start, livenessChecks::stop)
            .add("block key rolls", keyRolls::start, keyRolls::stop)
            // Stopped first: the HTTP server still redirects clients to the new leader meanwhile.
            .add("leadership", () -> {}, () -> handover.run(config.shutdownHandoverTimeout()));
  }

  /**
   * Starts the Raft server, then the HTTP server, then the periodic tasks; fails, having stopped
   * what it started, if a port cannot be bound or the storage cannot be used.
   */
  public static MasterServer start(MasterConfig config) throws IOException {
    AccessKey root =
        config.rootCredentialsFile() == null
            ? null
            : CredentialsFile.read(config.rootCredentialsFile());
    UserKey userKey = config.userKeyFile() == null ? null : UserKey.read(config.userKeyFile());
    MasterServer master = new MasterServer(config, root, userKey, tls(config));
    master.lifecycle.start();
    LOG.info(
        "master {} started: raft {}, http {}",
        config.id(),
        config.self().raftAddress(),
        config.self().httpAddress());
    return master;
  }

  /** This master's certificates, checked before anything starts; null without TLS. */
  private static TlsIdentity tls(MasterConfig config) throws IOException {
    if (config.tls() == null) {
      LOG.warn("master {}: TLS is off, every connection is plaintext", config.id());
      return null;
    }
    TlsIdentity tls = config.tls().load(LOG::warn);
    NodeName self = tls.self().orElse(null);
    if (self == null || self.role() != NodeName.Role.MASTER || !self.id().equals(config.id())) {
      throw new IOException(
          config.tls().certFile()
              + ": names "
              + (self == null ? "no raftfs node" : self)
              + ", not master "
              + config.id());
    }
    return tls;
  }

  private static ExchangeAuthenticator authenticator(
      MasterConfig config, AccessKey root, MetaStore store, UserKey userKey) {
    if (root == null) {
      LOG.warn("master {}: metadata requests are not authenticated (auth disabled)", config.id());
      return ExchangeAuthenticator.open();
    }
    if (userKey == null) {
      LOG.warn(
          "master {}: no {}, so it keeps no users: only the root key is accepted",
          config.id(),
          MasterConfigKeys.AUTH_USER_KEY_FILE_KEY);
    }
    return ExchangeAuthenticator.signedBy(
        new AccessKeys(root, store::userByKeyId, userKey),
        Clock.systemUTC(),
        config.authClockSkew(),
        store::isSuperuser);
  }

  /** Off Ratis' notifying thread: the event (and its log line) need the term. */
  private static void recordLeaderChange(
      ClusterEventLog events,
      ScheduledExecutorService background,
      RaftGateway raft,
      String leader) {
    try {
      background.execute(
          () -> {
            long term = 0;
            try {
              term = raft.info().getCurrentTerm();
            } catch (RuntimeException e) {
              // Starting or closing: the event is still worth keeping, without its term.
            }
            events.leaderChanged(leader, term);
          });
    } catch (RejectedExecutionException e) {
      LOG.info("master closing; leader is now {}", leader);
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
    return config.self().host() + ":" + http.port();
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

  /**
   * Hands leadership over if this master leads, then stops the periodic tasks, the HTTP server,
   * Raft, the threads and the metrics, in that order.
   */
  @Override
  public void close() throws IOException {
    try {
      lifecycle.stop();
    } finally {
      LOG.info("master {} stopped", config.id());
    }
  }
}
