package io.raftfs.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte counts as people write them: {@code 8m}, {@code 64MiB}, {@code 1g}, {@code 4096}. */
final class Sizes {
  private static final Pattern SIZE =
      Pattern.compile("(\\d+)\\s*(?:([kmgt])(?:i?b)?|b)?", Pattern.CASE_INSENSITIVE);
  private static final String UNITS = "KMGTPE";

  private Sizes() {}

  /** Parses a size with an optional binary unit (k = 1024); no unit means bytes. */
  static long parse(String text) {
    Matcher m = SIZE.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a size: '" + text + "' (e.g. 4096, 512k, 8m, 1g)");
    }
    long value;
    try {
      value = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("size too large: '" + text + "'");
    }
    int shift =
        m.group(2) == null ? 0 : 10 * (1 + UNITS.indexOf(m.group(2).toUpperCase(Locale.ROOT)));
    if (shift > 0 && Long.numberOfLeadingZeros(value) <= shift) {
      throw new IllegalArgumentException("size too large: '" + text + "'");
    }
    return value << shift;
  }

  /** {@code 512 B}, {@code 1.5 KiB}, {@code 300.0 MiB}. */
  static String format(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    int unit = (63 - Long.numberOfLeadingZeros(bytes)) / 10;
    return String.format(
        Locale.ROOT, "%.1f %siB", bytes / (double) (1L << (10 * unit)), UNITS.charAt(unit - 1));
  }
}
