package io.raftfs.client.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How benchmarks print a figure: one line, name and value, with the 1-minute load average when it
 * was measured (on a shared machine a figure means little without it).
 */
final class Report {
  private Report() {}

  /** "load 1.2 0.9 0.7" from /proc/loadavg, or "load ?". */
  static String load() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return "load " + fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException e) {
      return "load ?";
    }
  }

  static void line(String name, String figure) {
    System.out.printf("%-52s %s   [%s]%n", name, figure, load());
  }
}
