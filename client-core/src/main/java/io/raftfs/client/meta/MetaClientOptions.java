package io.raftfs.client.meta;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a {@link MetaClient} keeps trying.
 *
 * @param callDeadline a call that found no leader for this long fails with {@link
 *     MastersUnavailableException}; it must outlive a leader election (about a second here) with
 *     room to spare
 * @param attemptTimeout one HTTP attempt against one master; a dead master that does not reset the
 *     connection costs at most this much
 * @param maxBackoff the longest pause between two rounds of attempts (pauses grow from 25 ms)
 */
public record MetaClientOptions(
    Duration callDeadline, Duration attemptTimeout, Duration maxBackoff) {

  public static final MetaClientOptions DEFAULTS =
      new MetaClientOptions(Duration.ofSeconds(30), Duration.ofSeconds(3), Duration.ofMillis(500));

  public MetaClientOptions {
    Objects.requireNonNull(callDeadline, "callDeadline");
    Objects.requireNonNull(attemptTimeout, "attemptTimeout");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (callDeadline.isNegative() || callDeadline.isZero()) {
      throw new IllegalArgumentException("callDeadline must be positive: " + callDeadline);
    }
    if (attemptTimeout.isNegative() || attemptTimeout.isZero()) {
      throw new IllegalArgumentException("attemptTimeout must be positive: " + attemptTimeout);
    }
  }

  public MetaClientOptions withCallDeadline(Duration deadline) {
    return new MetaClientOptions(deadline, attemptTimeout, maxBackoff);
  }
}
