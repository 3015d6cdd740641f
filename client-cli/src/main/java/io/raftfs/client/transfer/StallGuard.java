package io.raftfs.client.transfer;

import io.raftfs.meta.concurrent.DaemonThreads;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Closes a response body that stops delivering bytes. A data node that hangs or is cut off in the
 * middle of a block sends neither data nor a reset, and the JDK's HTTP client has no read timeout:
 * without this a read would block until the node came back, maybe forever. Closing the stream from
 * here makes the blocked read fail, and the caller moves on to another replica.
 *
 * <pre>{@code
 * try (StallGuard guard = StallGuard.watch(body, Duration.ofSeconds(20))) {
 *   for (int n; (n = body.read(buffer)) > 0; ) {
 *     guard.progressed();
 *     ...
 *   }
 * } catch (IOException e) {
 *   if (guard.stalled()) ... // the node went silent
 * }
 * }</pre>
 */
final class StallGuard implements AutoCloseable {
  // One daemon thread for every transfer of the JVM: checking a clock is all it does.
  private static final ScheduledExecutorService WATCH = newWatch();

  private final Closeable stream;
  private final long timeoutNanos;
  private final ScheduledFuture<?> check;
  private volatile long lastProgressNanos = System.nanoTime();
  private volatile boolean stalled;

  private StallGuard(Closeable stream, Duration timeout) {
    this.stream = stream;
    this.timeoutNanos = timeout.toNanos();
    long period = Math.max(1, timeout.toMillis() / 4);
    this.check = WATCH.scheduleAtFixedRate(this::check, period, period, TimeUnit.MILLISECONDS);
  }

  /** Starts watching {@code stream}: it is closed once {@code timeout} passes without progress. */
  static StallGuard watch(Closeable stream, Duration timeout) {
    return new StallGuard(stream, timeout);
  }

  void progressed() {
    lastProgressNanos = System.nanoTime();
  }

  /** Whether the stream was closed here because no bytes came for the whole timeout. */
  boolean stalled() {
    return stalled;
  }

  /** Stops watching; does not close the stream. */
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
      stream.close();
    } catch (IOException e) {
      // The reader fails either way: its stream is gone.
    }
  }

  private static ScheduledExecutorService newWatch() {
    ScheduledThreadPoolExecutor watch =
        new ScheduledThreadPoolExecutor(1, DaemonThreads.named("raftfs-stall-guard"));
    watch.setRemoveOnCancelPolicy(true);
    return watch;
  }
}
