package io.raftfs.testing;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for a condition with a deadline: the only way tests wait for anything. A timeout fails with
 * what was awaited and the last value observed, so a failure report shows how far things got.
 *
 * <pre>{@code
 * long alive = Await.until(Duration.ofSeconds(30), "3 live data nodes", this::aliveCount, n -> n == 3);
 * }</pre>
 */
public final class Await {
  private static final long POLL_MILLIS = 10;

  private Await() {}

  /**
   * Observes {@code observe} until {@code done} accepts the value; returns that value.
   *
   * @throws AssertionError after {@code timeout}, naming {@code what} and the last value seen
   */
  public static <T> T until(
      Duration timeout, String what, Supplier<T> observe, Predicate<? super T> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T observed = observe.get();
      if (done.test(observed)) {
        return observed;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "timed out after " + timeout + " waiting for " + what + "; last observed: " + observed);
      }
      pause(what);
    }
  }

  /** Waits until {@code condition} holds. */
  public static void until(Duration timeout, String what, BooleanSupplier condition) {
    until(timeout, what, condition::getAsBoolean, Boolean::booleanValue);
  }

  /** Polls {@code value} until it is non-null; returns it. */
  public static <T> T value(Duration timeout, String what, Supplier<T> value) {
    return until(timeout, what, value, Objects::nonNull);
  }

  private static void pause(String what) {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for " + what, e);
    }
  }
}
