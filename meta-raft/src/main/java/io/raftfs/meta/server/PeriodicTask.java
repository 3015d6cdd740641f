package io.raftfs.meta.server;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A task run every interval while the master runs. A failed run is logged; the next one runs. */
final class PeriodicTask {
  private static final Logger LOG = LoggerFactory.getLogger(PeriodicTask.class);

  private final ScheduledExecutorService executor;
  private final String name;
  private final long intervalMillis;
  private final Runnable task;
  private ScheduledFuture<?> scheduled;

  PeriodicTask(ScheduledExecutorService executor, String name, long intervalMillis, Runnable task) {
    this.executor = executor;
    this.name = name;
    this.intervalMillis = intervalMillis;
    this.task = task;
  }

  synchronized void start() {
    scheduled =
        executor.scheduleWithFixedDelay(
            this::runOnce, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
  }

  synchronized void stop() {
    scheduled.cancel(false);
  }

  private void runOnce() {
    try {
      task.run();
    } catch (RuntimeException e) {
      // An exception would end the schedule for good.
      LOG.warn("{} failed", name, e);
    }
  }
}
