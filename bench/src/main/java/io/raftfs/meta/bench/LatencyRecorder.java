package io.raftfs.meta.bench;

import java.util.Arrays;

/** Collects per-operation latencies of one benchmark phase; one instance per thread, merged. */
final class LatencyRecorder {
  private long[] nanos = new long[1 << 12];
  private int count;
  long errors;

  void record(long latencyNanos) {
    if (count == nanos.length) {
      nanos = Arrays.copyOf(nanos, count * 2);
    }
    nanos[count++] = latencyNanos;
  }

  static long count(LatencyRecorder[] recorders) {
    long total = 0;
    for (LatencyRecorder recorder : recorders) {
      total += recorder.count;
    }
    return total;
  }

  static String summary(String name, LatencyRecorder[] recorders, double seconds) {
    int total = 0;
    long errors = 0;
    for (LatencyRecorder recorder : recorders) {
      total += recorder.count;
      errors += recorder.errors;
    }
    long[] all = new long[total];
    int at = 0;
    for (LatencyRecorder recorder : recorders) {
      System.arraycopy(recorder.nanos, 0, all, at, recorder.count);
      at += recorder.count;
    }
    Arrays.sort(all);
    return String.format(
        "%-44s %9.0f ops/s   p50 %7.2f ms   p99 %7.2f ms   (%d ops, %d errors)",
        name,
        total / seconds,
        percentile(all, 0.50) / 1e6,
        percentile(all, 0.99) / 1e6,
        total,
        errors);
  }

  private static double percentile(long[] sorted, double p) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))];
  }
}
