package io.raftfs.data.master;

import io.raftfs.data.replication.BlockCopier;
import io.raftfs.data.schedule.Scheduler;
import io.raftfs.data.store.BlockEntry;
import io.raftfs.data.store.BlockStore;
import io.raftfs.data.store.BlockStoreListener;
import io.raftfs.data.store.StoreStats;
import io.raftfs.proto.DataNodeCommand;
import io.raftfs.proto.Heartbeat;
import io.raftfs.proto.HeartbeatResponse;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every master informed about this node (docs/protocol.md, "Data node ↔ masters"): registers
 * at start and whenever a master does not know the node, heartbeats every master, sends full block
 * reports at start and periodically and incremental ones (the blocks stored and deleted since the
 * last) every incremental interval and with each heartbeat answer, and runs the commands in the
 * leader's replies. No master being reachable only delays all this; the node keeps serving and
 * catches up by itself.
 *
 * <p>Everything runs on the Vert.x context that calls {@link #start()}; store events are moved
 * there.
 */
public final class HeartbeatService implements BlockStoreListener, ReportSource, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HeartbeatService.class);

  private final Vertx vertx;
  private final BlockStore store;
  private final BlockCopier copier;
  private final MasterRegistration registration;
  private final Scheduler scheduler;
  private final String nodeId;
  private final String httpAddress;
  private final Duration heartbeatInterval;
  private final Duration blockReportInterval;
  private final Duration incrementalReportInterval;
  private final List<MasterLink> links = new ArrayList<>();
  private final CommandExecutor commands;
  private final List<Scheduler.Cancellable> timers = new ArrayList<>();
  private Context context;
  private boolean registering;
  private boolean registeredOnce;

  /** Counts successful registrations; a "not registered" reply to an older heartbeat is stale. */
  private long registrationEpoch;

  private int failedRegistrations;
  private boolean closed;

  public HeartbeatService(
      Vertx vertx,
      HttpClient client,
      BlockStore store,
      BlockCopier copier,
      MasterRegistration registration,
      Scheduler scheduler,
      String nodeId,
      String httpAddress,
      List<String> masters,
      Duration heartbeatInterval,
      Duration blockReportInterval,
      Duration incrementalReportInterval) {
    this.vertx = vertx;
    this.store = store;
    this.copier = copier;
    this.registration = registration;
    this.scheduler = scheduler;
    this.nodeId = nodeId;
    this.httpAddress = httpAddress;
    this.heartbeatInterval = heartbeatInterval;
    this.blockReportInterval = blockReportInterval;
    this.incrementalReportInterval = incrementalReportInterval;
    this.commands = new CommandExecutor(vertx, store, copier);
    for (String master : masters) {
      links.add(new MasterLink(new MasterChannel(client, master)));
    }
  }

  /** Starts on the calling Vert.x context; the first heartbeats go out at once. */
  public void start() {
    context = vertx.getOrCreateContext();
    store.addListener(this);
    register();
    timers.add(scheduler.every(heartbeatInterval, this::beat));
    timers.add(scheduler.every(blockReportInterval, this::fullReports));
    timers.add(scheduler.every(incrementalReportInterval, this::flushReports));
    beat();
  }

  @Override
  public void close() {
    context.runOnContext(
        v -> {
          closed = true;
          timers.forEach(Scheduler.Cancellable::cancel);
        });
  }

  /** Queued for the next incremental report (or heartbeat answer), not sent at once. */
  @Override
  public void blockAdded(BlockEntry block) {
    context.runOnContext(v -> links.forEach(link -> link.reports().blockAdded(block)));
  }

  @Override
  public void blockRemoved(long blockId) {
    context.runOnContext(v -> links.forEach(link -> link.reports().blockRemoved(blockId)));
  }

  @Override
  public String nodeId() {
    return nodeId;
  }

  @Override
  public Collection<BlockEntry> storedBlocks() {
    return store.blocks();
  }

  private void beat() {
    if (closed) {
      return;
    }
    if (!registeredOnce) {
      register();
    }
    Heartbeat heartbeat = heartbeat();
    long epoch = registrationEpoch;
    for (MasterLink link : links) {
      link.heartbeat(heartbeat)
          .onSuccess(
              response -> {
                if (response != null) {
                  onHeartbeatResponse(link, response, epoch);
                }
              });
    }
  }

  private void onHeartbeatResponse(MasterLink link, HeartbeatResponse response, long epoch) {
    if (closed) {
      return;
    }
    if (!response.getRegistered()) {
      link.reports().requireFull();
      if (epoch == registrationEpoch) {
        register();
      }
    }
    if (response.getFromLeader()) {
      for (DataNodeCommand command : response.getCommandsList()) {
        commands.execute(command);
      }
    }
    link.flushReports(this);
  }

  private void fullReports() {
    links.forEach(link -> link.reports().requireFull());
    flushReports();
  }

  private void flushReports() {
    if (!closed) {
      links.forEach(link -> link.flushReports(this));
    }
  }

  private void register() {
    if (registering || closed) {
      return;
    }
    registering = true;
    long capacity = store.stats().capacityBytes();
    vertx
        .executeBlocking(
            () -> {
              registration.register(nodeId, httpAddress, capacity);
              return null;
            },
            false)
        .onComplete(
            ar -> {
              registering = false;
              if (ar.succeeded()) {
                registeredOnce = true;
                registrationEpoch++;
                LOG.info("registered {} at {} with the masters", nodeId, httpAddress);
              } else {
                LOG.warn(
                    "registration of {} failed, will retry: {}", nodeId, ar.cause().toString());
              }
            });
  }

  private Heartbeat heartbeat() {
    StoreStats stats = store.stats();
    return Heartbeat.newBuilder()
        .setNodeId(nodeId)
        .setHttpAddress(httpAddress)
        .setCapacityBytes(stats.capacityBytes())
        .setUsedBytes(stats.usedBytes())
        .setFreeBytes(stats.freeBytes())
        .setBlockCount(stats.blockCount())
        .setActiveTransfers(stats.activeWrites() + copier.activeCopies())
        .build();
  }
}
