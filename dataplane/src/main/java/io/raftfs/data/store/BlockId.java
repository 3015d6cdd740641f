package io.raftfs.data.store;

/**
 * Block ids are unsigned 64-bit integers, written in decimal. Parsing is strict so that nothing but
 * digits ever reaches a file name.
 */
public final class BlockId {
  private static final int MAX_DIGITS = 20;

  private BlockId() {}

  /** Parses a decimal id; {@link IllegalArgumentException} (message fit for a 400) otherwise. */
  public static long parse(String text) {
    if (text == null || text.isEmpty() || text.length() > MAX_DIGITS) {
      throw new IllegalArgumentException("invalid block id: " + describe(text));
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException("invalid block id: " + describe(text));
      }
    }
    try {
      return Long.parseUnsignedLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid block id: " + describe(text) + " (over 2^64-1)");
    }
  }

  public static String format(long blockId) {
    return Long.toUnsignedString(blockId);
  }

  private static String describe(String text) {
    if (text == null) {
      return "(none)";
    }
    return text.length() > 40 ? "'" + text.substring(0, 40) + "…'" : "'" + text + "'";
  }
}
