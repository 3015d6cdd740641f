package io.raftfs.data.traffic;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How busy clients keep this node: the block reads and writes in flight and when the last one
 * ended. Background work (the scrubber) asks {@link #busy} and stands aside while clients move
 * blocks, so what they see costs them nothing. The HTTP layer counts; time comes from an injected
 * {@link Clock}, so tests decide what "a while ago" is. Thread-safe.
 */
public final class ClientTraffic {
  private final Clock clock;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile long lastEndedMillis = Long.MIN_VALUE;

  public ClientTraffic(Clock clock) {
    this.clock = clock;
  }

  /** A transfer began; {@link #ended} must follow exactly once. */
  public void began() {
    inFlight.incrementAndGet();
  }

  /** A transfer ended (answered, failed or cut off). */
  public void ended() {
    // Before the count drops: whoever sees no transfer in flight also sees when the last ended.
    lastEndedMillis = clock.millis();
    inFlight.decrementAndGet();
  }

  public int inFlight() {
    return inFlight.get();
  }

  /** True while a transfer is in flight or one ended less than {@code quiet} ago. */
  public boolean busy(Duration quiet) {
    if (inFlight.get() > 0) {
      return true;
    }
    long last = lastEndedMillis;
    return last != Long.MIN_VALUE && clock.millis() - last < quiet.toMillis();
  }
}
