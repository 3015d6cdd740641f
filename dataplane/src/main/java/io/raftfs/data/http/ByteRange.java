package io.raftfs.data.http;

import java.util.Optional;

/**
 * One satisfiable byte range of a block, from a {@code Range: bytes=a-b}, {@code bytes=a-} or
 * {@code bytes=-n} header (RFC 9110 §14.1.2). Several ranges in one header are not supported.
 */
public record ByteRange(long offset, long length) {

  /** The range, or empty when the header cannot be satisfied for a block of {@code size}. */
  public static Optional<ByteRange> parse(String header, long size) {
    String spec = header.trim();
    if (!spec.startsWith("bytes=") || spec.indexOf(',') >= 0) {
      return Optional.empty();
    }
    spec = spec.substring("bytes=".length()).trim();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return Optional.empty();
    }
    String first = spec.substring(0, dash).trim();
    String last = spec.substring(dash + 1).trim();
    try {
      if (first.isEmpty()) {
        long suffix = parseDigits(last);
        if (suffix == 0 || size == 0) {
          return Optional.empty();
        }
        long length = Math.min(suffix, size);
        return Optional.of(new ByteRange(size - length, length));
      }
      long start = parseDigits(first);
      long end = last.isEmpty() ? size - 1 : Math.min(parseDigits(last), size - 1);
      if (start >= size || end < start) {
        return Optional.empty();
      }
      return Optional.of(new ByteRange(start, end - start + 1));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  public String contentRange(long size) {
    return "bytes " + offset + "-" + (offset + length - 1) + "/" + size;
  }

  private static long parseDigits(String text) {
    if (text.isEmpty() || text.length() > 19 || !text.chars().allMatch(Character::isDigit)) {
      throw new NumberFormatException(text);
    }
    return Long.parseLong(text);
  }
}
