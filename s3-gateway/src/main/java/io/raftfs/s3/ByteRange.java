package io.raftfs.s3;

/**
 * One {@code Range: bytes=...} of a GET: {@code first-last}, {@code first-} or {@code -suffix}.
 * Several ranges in one header are answered whole, as S3 does.
 */
record ByteRange(long first, long last) {

  long length() {
    return last - first + 1;
  }

  String contentRange(long size) {
    return "bytes " + first + "-" + last + "/" + size;
  }

  /**
   * The range of an object of {@code size} bytes, or null to send it whole (no header, or one S3
   * ignores).
   *
   * @throws S3Exception 416 {@code InvalidRange} for a range wholly past the end
   */
  static ByteRange parse(String header, long size) {
    if (header == null || !header.startsWith("bytes=") || header.indexOf(',') >= 0) {
      return null;
    }
    String spec = header.substring("bytes=".length()).strip();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    try {
      String from = spec.substring(0, dash).strip();
      String to = spec.substring(dash + 1).strip();
      if (from.isEmpty()) {
        long suffix = Long.parseLong(to);
        if (suffix == 0 || size == 0) {
          throw invalid(size);
        }
        return new ByteRange(Math.max(0, size - suffix), size - 1);
      }
      long first = Long.parseLong(from);
      long last = to.isEmpty() ? size - 1 : Math.min(Long.parseLong(to), size - 1);
      if (first >= size) {
        throw invalid(size);
      }
      if (last < first) {
        return null;
      }
      return new ByteRange(first, last);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static S3Exception invalid(long size) {
    return new S3Exception(
        416,
        "InvalidRange",
        "The requested range is not satisfiable (object of " + size + " bytes)");
  }
}
