package io.raftfs.data.schedule;

import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * Runs periodic work; injected so timing logic (heartbeats, reports, the scrubber's rate) can be
 * driven by tests, as Netty's handlers take their time from the executor's {@code Ticker}.
 */
public interface Scheduler {
  /** Runs {@code task} every {@code period}, first after one period. */
  Cancellable every(Duration period, Runnable task);

  interface Cancellable {
    void cancel();
  }

  /** Vert.x timers; tasks run on the context that calls {@link #every}. */
  static Scheduler of(Vertx vertx) {
    return (period, task) -> {
      long id = vertx.setPeriodic(period.toMillis(), t -> task.run());
      return () -> vertx.cancelTimer(id);
    };
  }
}
