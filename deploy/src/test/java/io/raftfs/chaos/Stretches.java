package io.raftfs.chaos;

import io.raftfs.chaos.Op.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Stretches without a completed operation: what a client waits through after a fault. An operation
 * completes when it ends with a definite answer ({@link Result#OK} or {@link Result#FAIL}), by any
 * worker.
 */
final class Stretches {
  /** Issue 22's bound on a stretch after any fault of the masters. */
  static final Duration BOUND = Duration.ofSeconds(2);

  private final List<Long> bounds = new ArrayList<>();

  /** The completions of {@code ops} between {@code from} and {@code to} (both count as bounds). */
  Stretches(List<Op> ops, long from, long to) {
    bounds.add(from);
    for (Op op : ops) {
      if (op.result() == Result.OK || op.result() == Result.FAIL) {
        bounds.add(op.endNanos());
      }
    }
    bounds.add(to);
    bounds.sort(null);
  }

  /**
   * The longest stretch that began in {@code [start, end]}: from {@code start} or the last
   * completion before it, whichever is later, to the next completion.
   */
  long longestNanos(long start, long end) {
    long longest = 0;
    for (int i = 1; i < bounds.size(); i++) {
      long gapStart = Math.max(bounds.get(i - 1), start);
      if (gapStart <= end && bounds.get(i) >= gapStart) {
        longest = Math.max(longest, bounds.get(i) - gapStart);
      }
    }
    return longest;
  }
}
