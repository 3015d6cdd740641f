package io.raftfs.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them: {@code 500ms}, {@code 30s}, {@code 2m}. */
final class Durations {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m)?");

  private Durations() {}

  static Duration parse(String text) {
    Matcher m = DURATION.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a duration: '" + text + "' (e.g. 500ms, 30s, 2m)");
    }
    long value = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    Duration duration =
        switch (unit) {
          case "ms" -> Duration.ofMillis(value);
          case "m" -> Duration.ofMinutes(value);
          default -> Duration.ofSeconds(value);
        };
    if (duration.isZero()) {
      throw new IllegalArgumentException("duration must be positive: '" + text + "'");
    }
    return duration;
  }

  /** {@code 0:07}, {@code 12:34}, {@code 1:02:03}. */
  static String clock(long seconds) {
    long h = seconds / 3600;
    long m = seconds / 60 % 60;
    long s = seconds % 60;
    return h > 0 ? String.format("%d:%02d:%02d", h, m, s) : String.format("%d:%02d", m, s);
  }
}
