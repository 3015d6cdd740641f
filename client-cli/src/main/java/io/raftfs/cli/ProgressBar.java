package io.raftfs.cli;

import io.raftfs.client.TransferListener;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A one-line progress bar on stderr with size, rate and ETA, redrawn five times a second (also
 * while a transfer stalls, e.g. during a leader election). The rate is measured over the last few
 * seconds. A hidden bar draws nothing. The label is asked for at every redraw, so a tree transfer
 * can show how many files are done.
 */
final class ProgressBar implements TransferListener, AutoCloseable {
  private static final long REDRAW_MILLIS = 200;
  private static final long RATE_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(5);
  private static final int BAR_WIDTH = 24;

  private final PrintStream err;
  private final Supplier<String> label;
  private final AtomicLong done = new AtomicLong();
  private final Deque<long[]> samples = new ArrayDeque<>();
  private volatile long total = -1;
  private ScheduledExecutorService ticker;
  private int lastWidth;

  private ProgressBar(PrintStream err, Supplier<String> label) {
    this.err = err;
    this.label = label;
  }

  /** A bar on stderr when it is a terminal and --quiet is off; else a hidden one. */
  static ProgressBar forCommand(RaftfsCommand root, String label) {
    return forCommand(root, () -> label);
  }

  /** As {@link #forCommand(RaftfsCommand, String)}, with a label that changes. */
  static ProgressBar forCommand(RaftfsCommand root, Supplier<String> label) {
    boolean visible = root.terminal.interactive() && !root.quiet;
    return new ProgressBar(visible ? root.terminal.err() : null, label);
  }

  @Override
  public synchronized void started(long totalBytes) {
    total = totalBytes;
    if (err != null && ticker == null) {
      ticker =
          Executors.newSingleThreadScheduledExecutor(
              task -> {
                Thread thread = new Thread(task, "raftfs-progress");
                thread.setDaemon(true);
                return thread;
              });
      ticker.scheduleAtFixedRate(this::draw, 0, REDRAW_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void transferred(long bytes) {
    done.addAndGet(bytes);
  }

  /** Draws the final state and ends the line. */
  @Override
  public synchronized void close() {
    if (ticker != null) {
      ticker.shutdownNow();
      draw();
      err.println();
    }
  }

  private synchronized void draw() {
    long now = System.nanoTime();
    long bytes = done.get();
    samples.addLast(new long[] {now, bytes});
    while (samples.size() > 2 && now - samples.peekFirst()[0] > RATE_WINDOW_NANOS) {
      samples.removeFirst();
    }
    long[] first = samples.peekFirst();
    double seconds = (now - first[0]) / 1e9;
    double rate = seconds > 0 ? (bytes - first[1]) / seconds : 0;
    String line = line(label.get(), bytes, total, rate);
    err.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
    err.flush();
    lastWidth = line.length();
  }

  /**
   * One rendering: {@code name 42% [=========> ] 126.0 MiB / 300.0 MiB 48.2 MiB/s ETA 0:04}.
   * Without a known total it shows bytes and rate only.
   */
  static String line(String label, long done, long total, double bytesPerSecond) {
    String rate = Sizes.format((long) bytesPerSecond) + "/s";
    if (total < 0) {
      return String.format(Locale.ROOT, "%s  %s  %s", label, Sizes.format(done), rate);
    }
    double fraction = total == 0 ? 1 : Math.min(1, (double) done / total);
    int filled = (int) (fraction * BAR_WIDTH);
    String bar =
        "=".repeat(filled) + (filled < BAR_WIDTH ? ">" : "") + " ".repeat(BAR_WIDTH - filled);
    String eta =
        done >= total
            ? "done"
            : bytesPerSecond < 1
                ? "ETA --:--"
                : "ETA " + Durations.clock((long) Math.ceil((total - done) / bytesPerSecond));
    return String.format(
        Locale.ROOT,
        "%s %3d%% [%s] %s / %s  %s  %s",
        label,
        (int) (fraction * 100),
        bar.substring(0, BAR_WIDTH),
        Sizes.format(done),
        Sizes.format(total),
        rate,
        eta);
  }
}
