package io.raftfs.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that moves only when a test moves it, for code that takes a {@link Clock}:
 *
 * <pre>{@code
 * SettableClock clock = new SettableClock(1_800_000_000_000L);
 * clock.advance(1000);
 * }</pre>
 */
public final class SettableClock extends Clock {
  private volatile long millis;

  public SettableClock(long startMillis) {
    this.millis = startMillis;
  }

  /** Moves the clock on by {@code deltaMillis}. */
  public void advance(long deltaMillis) {
    millis += deltaMillis;
  }

  @Override
  public long millis() {
    return millis;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
