package io.raftfs.client.transfer;

import io.raftfs.concurrent.DaemonThreads;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose transfer stops making progress. A data node that hangs or is cut off
 * while a block is being sent to it stops taking data and sends no reset; a blocking socket write
 * has no timeout of its own (reads do: {@code SO_TIMEOUT}), so without this the write would block
 * until the node came back, maybe forever. Closing the connection from here makes the blocked write
 * fail, and the caller blames the node.
 *
 * <pre>{@code
 * try (StallGuard guard = StallGuard.watch(connection, Duration.ofSeconds(20))) {
 *   while (...) {
 *     out.write(chunk);
 *     guard.progressed();
 *   }
 * } catch (IOException e) {
 *   if (guard.stalled()) ... // the node stopped taking data
 * }
 * }</pre>
 */
final class StallGuard implements AutoCloseable {
  // One daemon thread for every transfer of the JVM: checking a clock is all it does.
  private static final ScheduledExecutorService WATCH = newWatch();

  private final Closeable connection;
  private final long timeoutNanos;
  private final ScheduledFuture<?> check;
  private volatile long lastProgressNanos = System.nanoTime();
  private volatile boolean stalled;

  private StallGuard(Closeable connection, Duration timeout) {
    this.connection = connection;
    this.timeoutNanos = timeout.toNanos();
    long period = Math.max(1, timeout.toMillis() / 4);
    this.check = WATCH.scheduleAtFixedRate(this::check, period, period, TimeUnit.MILLISECONDS);
  }

  /** Starts watching: {@code connection} is closed once {@code timeout} passes without progress. */
  static StallGuard watch(Closeable connection, Duration timeout) {
    return new StallGuard(connection, timeout);
  }

  void progressed() {
    lastProgressNanos = System.nanoTime();
  }

  /** Whether the connection was closed here because no bytes moved for the whole timeout. */
  boolean stalled() {
    return stalled;
  }

  /** Stops watching; does not close the connection. */
  @Override
  public void close() {
    check.cancel(false);
  }

  private void check() {
    if (stalled || System.nanoTime() - lastProgressNanos < timeoutNanos) {
      return;
    }
    stalled = true;
    check.cancel(false);
    try {
      connection.close();
    } catch (IOException e) {
      // The transfer fails either way: its connection is gone.
    }
  }

  private static ScheduledExecutorService newWatch() {
    ScheduledThreadPoolExecutor watch =
        new ScheduledThreadPoolExecutor(1, DaemonThreads.named("raftfs-stall-guard"));
    watch.setRemoveOnCancelPolicy(true);
    return watch;
  }
}
