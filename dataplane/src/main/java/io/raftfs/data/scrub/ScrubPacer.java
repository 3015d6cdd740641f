package io.raftfs.data.scrub;

import java.time.Duration;

/**
 * How much the scrubber may read on each tick, so that a pass ends within its period while reading
 * as slowly as that allows (HDFS's block scanner: one pass per {@code
 * dfs.datanode.scan.period.hours} under a bytes-per-second ceiling). Pure arithmetic on times the
 * caller passes in, so tests drive it without a clock.
 *
 * <p>The pace is recomputed every tick as what is left of the pass over the time left of its
 * period: a scrubber that stood aside for clients catches up by reading faster while the node is
 * idle, up to the ceiling, and a pass that is late goes at the ceiling. Reads come in whole chunks
 * and block opens, so a tick may spend more than its share; the excess is a debt the next ticks pay
 * off before reading again, which keeps the average rate exact even when it is a few KiB/s.
 */
final class ScrubPacer {
  private final long periodMillis;
  private final long maxBytesPerSecond;
  private final long tickMillis;
  private final long maxAllowance;
  private long allowance;

  ScrubPacer(Duration period, long maxBytesPerSecond, Duration tick) {
    this.periodMillis = period.toMillis();
    this.maxBytesPerSecond = maxBytesPerSecond;
    this.tickMillis = tick.toMillis();
    // Time spent waiting never turns into a burst: at most one tick at the ceiling.
    this.maxAllowance = Math.max(1, perTick(maxBytesPerSecond));
  }

  /** When the pass that started at {@code startedMillis} should be over and the next begin. */
  long due(long startedMillis) {
    return startedMillis + periodMillis;
  }

  /**
   * Bytes per second that end the pass on time: {@code remaining} (bytes plus open costs) and the
   * debt over the time left, at most the ceiling; the ceiling once the pass is late. Counting the
   * debt, which is reading done ahead of the pace, ends the pass about one block before it is due
   * rather than on the due time itself.
   */
  long rate(long startedMillis, long nowMillis, long remaining) {
    long left = due(startedMillis) - nowMillis;
    if (left <= 0) {
      return maxBytesPerSecond;
    }
    double rate = Math.ceil((remaining + Math.max(0, -allowance)) * 1000.0 / left);
    return (long) Math.min(maxBytesPerSecond, rate);
  }

  /** Adds one tick at {@code rate}; returns what this tick may spend, 0 while a debt is unpaid. */
  long allow(long rate) {
    allowance = Math.min(maxAllowance, allowance + Math.max(1, perTick(rate)));
    return Math.max(0, allowance);
  }

  /** What the tick's reading cost; more than was allowed becomes a debt. */
  void spent(long cost) {
    allowance -= cost;
  }

  /** Clients were busy: an allowance not spent now is not saved up for later. */
  void yielded() {
    allowance = Math.min(allowance, 0);
  }

  private long perTick(long rate) {
    return rate * tickMillis / 1000;
  }
}
