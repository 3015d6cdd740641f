package io.raftfs.data.master;

import io.raftfs.concurrent.DaemonThreads;
import io.raftfs.data.store.BlockEntry;
import io.raftfs.proto.BlockReport;
import io.raftfs.proto.Heartbeat;
import io.raftfs.proto.HeartbeatResponse;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's conversation with one master, on a thread of its own (HDFS's {@code BPServiceActor}):
 * at most one heartbeat and one block report waiting or on their way, the block changes that master
 * has not acknowledged, and whether it answered last time. A master that does not answer holds up
 * only this thread, for at most {@link MasterClient#EXCHANGE_TIMEOUT} a call.
 */
final class MasterLink implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MasterLink.class);

  private final String master;
  private final MasterClient client;
  private final BlockReportQueue reports = new BlockReportQueue();
  private final ExecutorService thread;
  private final AtomicBoolean heartbeatQueued = new AtomicBoolean();
  private final AtomicBoolean reportQueued = new AtomicBoolean();
  private boolean reachable; // this link's thread only

  MasterLink(String master, MasterClient client) {
    this.master = master;
    this.client = client;
    this.thread = Executors.newSingleThreadExecutor(DaemonThreads.named("master-link-" + master));
  }

  /** This master's HTTP address. */
  String master() {
    return master;
  }

  /** Thread-safe: the store's events go straight in. */
  BlockReportQueue reports() {
    return reports;
  }

  /**
   * Sends a heartbeat, made when its turn comes, unless one is still waiting or on its way; the
   * master's answer goes to {@code answered} on this link's thread.
   */
  void heartbeat(Supplier<Heartbeat> heartbeat, Consumer<HeartbeatResponse> answered) {
    if (!heartbeatQueued.compareAndSet(false, true)) {
      return;
    }
    run(
        heartbeatQueued,
        () -> {
          HeartbeatResponse response;
          try {
            response = client.heartbeat(master, heartbeat.get());
          } catch (IOException e) {
            markReachable(false, e);
            return;
          }
          markReachable(true, null);
          answered.accept(response);
        });
  }

  /**
   * Sends what the master has not been told, unless a report is waiting or on its way (the queue
   * keeps collecting meanwhile): the chunks of a full report one after the other. A failed report
   * turns into a full one next time, and the master drops the chunks it got of this one.
   */
  void flushReports(String nodeId, Supplier<List<BlockEntry>> stored) {
    if (reports.isEmpty() || !reportQueued.compareAndSet(false, true)) {
      return;
    }
    run(
        reportQueued,
        () -> {
          if (!reachable || reports.isEmpty()) {
            return;
          }
          Iterator<BlockReport> messages = reports.drain(nodeId, stored);
          try {
            while (messages.hasNext()) {
              if (!client.blockReport(master, messages.next()).getRegistered()) {
                reports.requireFull();
                return;
              }
            }
          } catch (IOException e) {
            reports.requireFull();
            markReachable(false, e);
          }
        });
  }

  /** Runs {@code task} on this link's thread, then clears {@code queued}. */
  private void run(AtomicBoolean queued, Runnable task) {
    try {
      thread.execute(
          () -> {
            try {
              task.run();
            } finally {
              queued.set(false);
            }
          });
    } catch (RejectedExecutionException e) {
      queued.set(false); // closed
    }
  }

  private void markReachable(boolean nowReachable, IOException cause) {
    if (reachable && !nowReachable) {
      LOG.warn("master {} unreachable: {}", master, cause.getMessage());
      // Whatever it learns from now on may be lost: start again from a full report.
      reports.requireFull();
    } else if (!reachable && nowReachable) {
      LOG.info("master {} reachable", master);
    }
    reachable = nowReachable;
  }

  /** Stops at once: an exchange on its way is interrupted. */
  @Override
  public void close() {
    thread.shutdownNow();
  }
}
