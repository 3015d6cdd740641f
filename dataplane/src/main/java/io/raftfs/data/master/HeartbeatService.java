package io.raftfs.data.master;

import io.raftfs.data.access.BlockAccess;
import io.raftfs.data.replication.BlockCopier;
import io.raftfs.data.replication.ForwardTargets;
import io.raftfs.data.schedule.Scheduler;
import io.raftfs.data.store.BlockEntry;
import io.raftfs.data.store.BlockStore;
import io.raftfs.data.store.BlockStoreListener;
import io.raftfs.data.store.StoreStats;
import io.raftfs.proto.Heartbeat;
import io.raftfs.proto.HeartbeatResponse;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Keeps every master informed about this node (docs/protocol.md, "Data node ↔ masters"): registers
 * at start and whenever a master does not know the node, heartbeats every master, sends full block
 * reports at start and periodically and incremental ones (the blocks stored and deleted since the
 * last) every incremental interval and with each heartbeat answer, keeps the {@link ForwardTargets}
 * up to date with the registered nodes each master sends, and runs the commands in the leader's
 * replies. No master being reachable only delays all this; the node keeps serving and catches up by
 * itself.
 *
 * <p>All of it goes through one {@link MasterClient}. The timers run on the Vert.x context that
 * calls {@link #start()} and only hand work to each master's {@link MasterLink} thread; the
 * leader's commands are carried out back on that context.
 */
public final class HeartbeatService implements BlockStoreListener, AutoCloseable {
  private final Vertx vertx;
  private final BlockStore store;
  private final BlockCopier copier;
  private final ForwardTargets forwardTargets;
  private final BlockAccess access;
  private final Scheduler scheduler;
  private final String nodeId;
  private final String httpAddress;
  private final Duration heartbeatInterval;
  private final Duration blockReportInterval;
  private final Duration incrementalReportInterval;
  private final List<MasterLink> links = new ArrayList<>();
  private final Registration registration;
  private final CommandExecutor commands;
  private final List<Scheduler.Cancellable> timers = new CopyOnWriteArrayList<>();
  private Context context;
  private volatile boolean closed;

  /**
   * @param access takes the block keys the masters send
   */
  public HeartbeatService(
      Vertx vertx,
      BlockStore store,
      BlockCopier copier,
      ForwardTargets forwardTargets,
      BlockAccess access,
      MasterClient client,
      Scheduler scheduler,
      String nodeId,
      String httpAddress,
      Duration heartbeatInterval,
      Duration blockReportInterval,
      Duration incrementalReportInterval) {
    this.access = access;
    this.vertx = vertx;
    this.store = store;
    this.copier = copier;
    this.forwardTargets = forwardTargets;
    this.scheduler = scheduler;
    this.nodeId = nodeId;
    this.httpAddress = httpAddress;
    this.heartbeatInterval = heartbeatInterval;
    this.blockReportInterval = blockReportInterval;
    this.incrementalReportInterval = incrementalReportInterval;
    this.registration =
        new Registration(client, nodeId, httpAddress, () -> store.stats().capacityBytes());
    this.commands = new CommandExecutor(vertx, store, copier);
    for (String master : client.masters()) {
      links.add(new MasterLink(master, client));
    }
  }

  /** Starts on the calling Vert.x context; the first heartbeats go out at once. */
  public void start() {
    context = vertx.getOrCreateContext();
    store.addListener(this);
    registration.ensure();
    timers.add(scheduler.every(heartbeatInterval, this::beat));
    timers.add(scheduler.every(blockReportInterval, this::fullReports));
    timers.add(scheduler.every(incrementalReportInterval, this::flushReports));
    beat();
  }

  /** Stops at once; exchanges on their way are interrupted. */
  @Override
  public void close() {
    closed = true;
    timers.forEach(Scheduler.Cancellable::cancel);
    links.forEach(MasterLink::close);
    registration.close();
  }

  /** Queued for the next incremental report (or heartbeat answer), not sent at once. */
  @Override
  public void blockAdded(BlockEntry block) {
    links.forEach(link -> link.reports().blockAdded(block));
  }

  @Override
  public void blockRemoved(long blockId) {
    links.forEach(link -> link.reports().blockRemoved(blockId));
  }

  private void beat() {
    if (closed) {
      return;
    }
    registration.ensure();
    long epoch = registration.epoch();
    for (MasterLink link : links) {
      link.heartbeat(
          () -> heartbeat(link.master()), response -> onHeartbeatResponse(link, response, epoch));
    }
  }

  /** On {@code link}'s thread. */
  private void onHeartbeatResponse(MasterLink link, HeartbeatResponse response, long epoch) {
    if (closed) {
      return;
    }
    if (!response.getRegistered()) {
      link.reports().requireFull();
      registration.renewIfCurrent(epoch);
    } else if (response.hasRegisteredNodes()) {
      // Before the commands below: a copy may go to a node that registered just now.
      forwardTargets.update(link.master(), response.getRegisteredNodes());
    }
    if (response.getRegistered()) {
      access.update(link.master(), response);
    }
    if (response.getFromLeader() && response.getCommandsCount() > 0) {
      context.runOnContext(
          v -> {
            if (!closed) {
              response.getCommandsList().forEach(commands::execute);
            }
          });
    }
    link.flushReports(nodeId, store::blocks);
  }

  private void fullReports() {
    links.forEach(link -> link.reports().requireFull());
    flushReports();
  }

  private void flushReports() {
    if (!closed) {
      links.forEach(link -> link.flushReports(nodeId, store::blocks));
    }
  }

  private Heartbeat heartbeat(String master) {
    StoreStats stats = store.stats();
    return Heartbeat.newBuilder()
        .setNodeId(nodeId)
        .setHttpAddress(httpAddress)
        .setCapacityBytes(stats.capacityBytes())
        .setUsedBytes(stats.usedBytes())
        .setFreeBytes(stats.freeBytes())
        .setBlockCount(stats.blockCount())
        .setActiveTransfers(stats.activeWrites() + copier.activeCopies())
        .setRegisteredNodesVersion(forwardTargets.version(master))
        .setBlockKeysVersion(access.version(master))
        .build();
  }
}
