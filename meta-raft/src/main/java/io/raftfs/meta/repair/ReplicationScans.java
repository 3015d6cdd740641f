package io.raftfs.meta.repair;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Run every scan interval: asks the {@link ScanPacer} whether a replication scan is due and runs it
 * then, as a {@link ReplicationMonitor#scan} on the leader and an {@link
 * ReplicationMonitor#observe} on followers (their status and metrics show the same figures).
 */
public final class ReplicationScans implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicationScans.class);

  private final ReplicationMonitor monitor;
  private final BooleanSupplier isLeader;
  private final ScanPacer pacer;
  private final LongSupplier nanoClock;

  public ReplicationScans(
      ReplicationMonitor monitor,
      BooleanSupplier isLeader,
      long intervalMillis,
      LongSupplier nanoClock) {
    this.monitor = monitor;
    this.isLeader = isLeader;
    this.pacer = new ScanPacer(intervalMillis);
    this.nanoClock = nanoClock;
  }

  @Override
  public void run() {
    boolean leader = isLeader.getAsBoolean();
    long start = nanoClock.getAsLong();
    if (!pacer.due(start, leader, leader && monitor.hasWork())) {
      return;
    }
    try {
      if (leader) {
        monitor.scan();
      } else {
        monitor.observe();
      }
    } catch (RuntimeException e) {
      // A failed scan must not end the schedule; the next one starts from scratch.
      LOG.warn("replication scan failed", e);
    }
    pacer.scanned(start, nanoClock.getAsLong());
  }
}
