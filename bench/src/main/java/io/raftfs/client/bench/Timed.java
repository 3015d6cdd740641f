package io.raftfs.client.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A timed phase of a benchmark: N threads repeat one step for a number of seconds; the latencies,
 * errors and the CPU the benchmark's and the cluster's JVMs used meanwhile ({@link CpuMeter}) are
 * its {@link Stats}. Shared by {@link ClusterBenchmark} and {@link S3Benchmark}.
 */
final class Timed {
  private Timed() {}

  /** One operation of a phase: thread {@code thread}'s {@code iteration}-th. */
  interface Step {
    void run(int thread, int iteration) throws Exception;
  }

  /** Operation latencies and errors of one phase. */
  static final class Stats {
    final List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
    final AtomicLong errors = new AtomicLong();
    final Map<String, Integer> errorKinds = new ConcurrentHashMap<>();
    double seconds;
    String cpu = "";
    // CPU seconds of all the JVMs during the phase; negative when unknown.
    double cpuSeconds = -1;

    void error(Exception e) {
      errors.incrementAndGet();
      errorKinds.merge(e.getClass().getSimpleName() + ": " + e.getMessage(), 1, Integer::sum);
    }

    /** "CPU 1.23 ms/op": the CPU of all the JVMs per successful operation. */
    String cpuPerOperation() {
      return cpuSeconds < 0 || nanos.isEmpty()
          ? "CPU ? ms/op"
          : String.format("CPU %.2f ms/op", 1000 * cpuSeconds / nanos.size());
    }

    /** Successful operations per second. */
    double rate() {
      return nanos.size() / seconds;
    }

    String latencies() {
      long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
      return String.format(
          "p50 %6.1f ms  p99 %6.1f ms  mean %6.1f ms",
          percentile(sorted, 0.5) / 1e6,
          percentile(sorted, 0.99) / 1e6,
          Arrays.stream(sorted).average().orElse(0) / 1e6);
    }

    String summary(String unit) {
      long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
      String text =
          String.format(
              "%9.1f %s  p50 %6.1f ms  p99 %6.1f ms  (%d ops, %d errors)",
              sorted.length / seconds,
              unit,
              percentile(sorted, 0.5) / 1e6,
              percentile(sorted, 0.99) / 1e6,
              sorted.length,
              errors.get());
      text += "  " + cpu;
      if (!errorKinds.isEmpty()) {
        text += " " + errorKinds.keySet().iterator().next();
      }
      return text;
    }
  }

  private static double percentile(long[] sorted, double p) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))];
  }

  /** Runs {@code step} on {@code threads} threads for {@code seconds}. */
  static Stats run(CpuMeter cpu, int threads, int seconds, Step step) throws Exception {
    Stats stats = new Stats();
    CpuMeter.Sample cpuBefore = cpu.sample();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      workers.add(
          new Thread(
              () -> {
                for (int i = 0; !stop.get(); i++) {
                  long start = System.nanoTime();
                  try {
                    step.run(thread, i);
                    stats.nanos.add(System.nanoTime() - start);
                  } catch (Exception e) {
                    stats.error(e);
                  }
                }
              },
              "bench-" + t));
    }
    long start = System.nanoTime();
    workers.forEach(Thread::start);
    Thread.sleep(seconds * 1000L);
    stop.set(true);
    for (Thread worker : workers) {
      worker.join();
    }
    stats.seconds = (System.nanoTime() - start) / 1e9;
    CpuMeter.Sample cpuAfter = cpu.sample();
    stats.cpu = cpuAfter.since(cpuBefore);
    stats.cpuSeconds = cpuAfter.cpuSecondsSince(cpuBefore);
    return stats;
  }
}
