package io.raftfs.meta.repair;

/**
 * When the next replication scan is due. A scan visits every block, so on a large namespace a fixed
 * one-second period would keep a core busy on every master; the wait after a scan grows with that
 * scan's cost so scans take at most a share of one core. The leader scans at {@link
 * #LEADER_BUSY_SHARE} while there may be repair work (the monitor says so: a node died, a replica
 * went missing or bad, a copy is in flight, files were deleted) and at {@link #LEADER_IDLE_SHARE}
 * otherwise, when a scan only catches orphans whose grace period ran out; a follower, which only
 * keeps its status figures, at {@link #FOLLOWER_SHARE}. Pure: the host passes the time and asks
 * once per tick.
 *
 * <pre>{@code
 * ScanPacer pacer = new ScanPacer(1000);
 * // every second:
 * if (pacer.due(System.nanoTime(), isLeader, monitor.hasWork())) {
 *   long start = System.nanoTime();
 *   monitor.scan();
 *   pacer.scanned(start, System.nanoTime());
 * }
 * }</pre>
 */
public final class ScanPacer {
  /** Share of one core the leader's scans may take while there may be something to repair. */
  public static final double LEADER_BUSY_SHARE = 0.10;

  /**
   * Share of one core the leader's scans may take while nothing changed: with 10 % the scans of a
   * namespace of 200 k blocks were a tenth of the CPU of a two-core machine running the whole
   * cluster under a stream of small puts.
   */
  public static final double LEADER_IDLE_SHARE = 0.02;

  /** Share of one core a follower's scans may take. */
  public static final double FOLLOWER_SHARE = 0.01;

  private final long intervalNanos;
  private boolean scannedOnce;
  private long lastEndNanos;
  private long lastCostNanos;

  /**
   * @param intervalMillis the shortest wait, what a cheap scan gets
   */
  public ScanPacer(long intervalMillis) {
    if (intervalMillis < 1) {
      throw new IllegalArgumentException("scan interval must be positive: " + intervalMillis);
    }
    this.intervalNanos = intervalMillis * 1_000_000L;
  }

  /** Whether a scan should start at {@code nowNanos}. The first one is always due. */
  public boolean due(long nowNanos, boolean leader, boolean work) {
    return !scannedOnce || nowNanos - lastEndNanos >= waitNanos(leader, work);
  }

  /** Records a scan that ran from {@code startNanos} to {@code endNanos}. */
  public void scanned(long startNanos, long endNanos) {
    scannedOnce = true;
    lastEndNanos = endNanos;
    lastCostNanos = endNanos - startNanos;
  }

  /** The wait after the last scan before the next one. */
  long waitNanos(boolean leader, boolean work) {
    double share = !leader ? FOLLOWER_SHARE : work ? LEADER_BUSY_SHARE : LEADER_IDLE_SHARE;
    long paced = (long) Math.ceil(lastCostNanos * (1 / share - 1));
    return Math.max(intervalNanos, paced);
  }
}
