package io.raftfs.meta.repair;

/**
 * How long to wait before the next replication scan. A scan visits every block, so on a large
 * namespace a fixed one-second period would keep a core busy on every master; the wait grows with
 * the last scan's cost so scans take at most a fixed share of one core: {@link #LEADER_SHARE} on
 * the leader (it repairs), {@link #FOLLOWER_SHARE} on a follower (it only keeps its status
 * figures).
 *
 * <pre>{@code
 * ScanPacer pacer = new ScanPacer(1000);
 * long delayMillis = pacer.nextDelayMillis(lastScanNanos, isLeader);
 * }</pre>
 */
public final class ScanPacer {
  /** Share of one core the leader's scans may take. */
  public static final double LEADER_SHARE = 0.10;

  /** Share of one core a follower's scans may take. */
  public static final double FOLLOWER_SHARE = 0.02;

  private final long intervalMillis;

  /**
   * @param intervalMillis the shortest wait, what a cheap scan gets
   */
  public ScanPacer(long intervalMillis) {
    if (intervalMillis < 1) {
      throw new IllegalArgumentException("scan interval must be positive: " + intervalMillis);
    }
    this.intervalMillis = intervalMillis;
  }

  /** The wait after a scan that took {@code scanNanos}. */
  public long nextDelayMillis(long scanNanos, boolean leader) {
    double share = leader ? LEADER_SHARE : FOLLOWER_SHARE;
    long paced = (long) Math.ceil(scanNanos / 1e6 * (1 / share - 1));
    return Math.max(intervalMillis, paced);
  }
}
