package io.raftfs.data.replication;

import io.raftfs.data.schedule.Scheduler;
import java.time.Duration;

/**
 * Watches that an upload's sender keeps up {@link UploadLimits#minBytesPerWindow()} in every {@link
 * UploadLimits#paceWindow()}. A window in which this node held the body back itself (its disk or
 * the next node busy) does not count against the sender. Not thread-safe: used on the upload's
 * context, where {@link Scheduler#of} also runs the checks.
 */
public final class SenderPace {
  private final Scheduler scheduler;
  private final UploadLimits limits;
  private Scheduler.Cancellable timer;
  private Runnable tooSlow;
  private long bytesThisWindow;
  private boolean holding;
  private boolean heldThisWindow;

  public SenderPace(Scheduler scheduler, UploadLimits limits) {
    this.scheduler = scheduler;
    this.limits = limits;
  }

  /** Starts the first window; {@code tooSlow} runs (once) when a window ends short. */
  void start(Runnable tooSlow) {
    this.tooSlow = tooSlow;
    timer = scheduler.every(limits.paceWindow(), this::check);
  }

  long minBytesPerWindow() {
    return limits.minBytesPerWindow();
  }

  Duration window() {
    return limits.paceWindow();
  }

  void received(long bytes) {
    bytesThisWindow += bytes;
  }

  /** This node stopped reading the body. */
  void holdBack() {
    holding = true;
    heldThisWindow = true;
  }

  /** This node reads the body again. */
  void release() {
    holding = false;
  }

  void stop() {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }

  private void check() {
    if (timer == null) {
      return;
    }
    boolean excused = heldThisWindow;
    long received = bytesThisWindow;
    heldThisWindow = holding;
    bytesThisWindow = 0;
    if (!excused && received < limits.minBytesPerWindow()) {
      stop();
      tooSlow.run();
    }
  }
}
