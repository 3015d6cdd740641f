package io.raftfs.data.http;

/** Header names of the data node protocol (docs/protocol.md). */
public final class BlockHeaders {
  /** Unsigned decimal CRC32C of the whole block. */
  public static final String CRC32C = "X-Raftfs-Crc32c";

  /** Comma-separated host:port of the remaining downstream data nodes of a write. */
  public static final String PIPELINE = "X-Raftfs-Pipeline";

  private BlockHeaders() {}

  /** Parses an unsigned 32-bit decimal CRC; {@link IllegalArgumentException} otherwise. */
  public static long parseCrc32c(String value) {
    if (value == null
        || value.isEmpty()
        || value.length() > 10
        || !value.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException(
          CRC32C + " must be an unsigned 32-bit decimal, got " + quote(value));
    }
    long crc = Long.parseLong(value);
    if (crc > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException(
          CRC32C + " must be an unsigned 32-bit decimal, got " + quote(value));
    }
    return crc;
  }

  private static String quote(String value) {
    return value == null ? "nothing" : "'" + value + "'";
  }
}
