package io.raftfs.client.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU time of the benchmark's JVM and the cluster's (their pid files under the run directory), and
 * the part their JIT compiler threads took, from {@code /proc}: a phase measured while the
 * compilers still run measures start-up, not raftfs. Linux only; elsewhere every figure is "?".
 *
 * <pre>{@code
 * CpuMeter meter = new CpuMeter(runDir);
 * CpuMeter.Sample before = meter.sample();
 * runPhase();
 * System.out.println(meter.sample().since(before)); // "CPU 176 %, JIT 9 % of it"
 * }</pre>
 */
final class CpuMeter {
  private final Path runDir;

  CpuMeter(Path runDir) {
    this.runDir = runDir;
  }

  /** Clock ticks (1/100 s on Linux) of all threads, and of the compiler threads, at one moment. */
  record Sample(long nanos, long ticks, long jitTicks) {
    /** CPU seconds all the JVMs used since {@code before}; negative when unknown. */
    double cpuSecondsSince(Sample before) {
      return ticks < 0 || before.ticks < 0 ? -1 : (ticks - before.ticks) / 100.0;
    }

    /** "CPU 176 %, JIT 9 % of it": cores used (100 % = one) and the compilers' share. */
    String since(Sample before) {
      if (ticks < 0 || before.ticks < 0) {
        return "CPU ?";
      }
      double seconds = (nanos - before.nanos) / 1e9;
      long used = ticks - before.ticks;
      long jit = jitTicks - before.jitTicks;
      return String.format(
          "CPU %.0f %%, JIT %.0f %% of it", used / seconds, used == 0 ? 0.0 : 100.0 * jit / used);
    }
  }

  Sample sample() {
    long ticks = 0;
    long jit = 0;
    try {
      for (long pid : pids()) {
        Path process = Path.of("/proc/" + pid);
        try (Stream<Path> threads = Files.list(process.resolve("task"))) {
          ticks += ticks(process); // with the threads that ended
          for (Path thread : threads.toList()) {
            if (Files.readString(thread.resolve("comm")).contains("Compiler")) {
              jit += ticks(thread);
            }
          }
        } catch (IOException e) {
          // The process or a thread ended between listing and reading: count what is left.
        }
      }
    } catch (IOException e) {
      return new Sample(System.nanoTime(), -1, -1);
    }
    return new Sample(System.nanoTime(), ticks, jit);
  }

  private List<Long> pids() throws IOException {
    List<Long> pids = new ArrayList<>(List.of(ProcessHandle.current().pid()));
    try (Stream<Path> dirs = Files.list(runDir)) {
      for (Path pidFile :
          dirs.map(dir -> dir.resolve("pid")).filter(Files::isRegularFile).toList()) {
        pids.add(Long.parseLong(Files.readString(pidFile).trim()));
      }
    }
    return pids;
  }

  /** utime + stime: fields 14 and 15 of stat, counted after the command name in parentheses. */
  private static long ticks(Path processOrThread) throws IOException {
    String stat = Files.readString(processOrThread.resolve("stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }
}
