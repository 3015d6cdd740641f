package io.raftfs.data.scrub;

import java.time.Duration;

/**
 * How the scrubber spends its time: one pass over every stored block per {@code period}, spread
 * evenly over it, never faster than {@code maxBytesPerSecond}, and nothing while clients moved
 * blocks less than {@code quiet} ago.
 *
 * @param maxBytesPerSecond the ceiling (opening a block counts {@link
 *     BlockScrubber#BLOCK_OPEN_COST})
 * @param period time from the start of one pass to the start of the next; zero: no scrubbing
 * @param quiet how long the node must have been free of client transfers before reading resumes
 */
public record ScrubSchedule(long maxBytesPerSecond, Duration period, Duration quiet) {
  /** No scrubbing at all. */
  public static final ScrubSchedule OFF = new ScrubSchedule(0, Duration.ZERO, Duration.ZERO);

  public boolean enabled() {
    return maxBytesPerSecond > 0 && !period.isZero();
  }
}
