package io.raftfs.meta.namespace;

/**
 * Compares UTF-8 names in the order {@link String#compareTo} gives the decoded names: UTF-16 code
 * units, which is code point order except that characters above U+FFFF (surrogate pairs, D800 to
 * DFFF) sort before U+E000..U+FFFF. Listings, pages of listings ({@code start_after}) and the
 * digest keep the order they had when names were Strings, on every replica.
 */
final class NameOrder {
  private NameOrder() {}

  static int compare(byte[] a, byte[] b) {
    int common = Math.min(a.length, b.length);
    int differs = java.util.Arrays.mismatch(a, 0, common, b, 0, common);
    if (differs < 0) {
      return a.length - b.length;
    }
    return weight(a[differs]) - weight(b[differs]);
  }

  /**
   * A byte's rank. Equal bytes before the first difference put both names at the same place in a
   * character, so unsigned byte order is code point order; only the lead bytes 0xEE and 0xEF
   * (U+E000..U+FFFF) must rank above 0xF0..0xF4 (above U+FFFF). Continuation bytes (0x80..0xBF) and
   * ASCII keep their rank.
   */
  private static int weight(byte value) {
    int unsigned = value & 0xFF;
    return unsigned == 0xEE || unsigned == 0xEF ? unsigned + 0x10 : unsigned;
  }
}
