package io.raftfs.data.testing;

import java.util.zip.CRC32C;

/**
 * Deterministic block contents of any length, generated piecewise so big blocks never sit whole in
 * memory. The byte at each offset depends on the offset and the seed, so a misplaced or repeated
 * chunk changes the content.
 */
public final class BlockPattern {
  private final long seed;
  private final long length;

  public BlockPattern(long seed, long length) {
    this.seed = seed;
    this.length = length;
  }

  public long length() {
    return length;
  }

  /** Fills {@code into[0..count)} with the bytes at {@code offset}. */
  public void fill(long offset, byte[] into, int count) {
    for (int i = 0; i < count; i++) {
      long x = (offset + i) * 0x9E3779B97F4A7C15L + seed;
      into[i] = (byte) (x ^ (x >>> 29) ^ (x >>> 47));
    }
  }

  public byte[] bytes(long offset, int count) {
    byte[] bytes = new byte[count];
    fill(offset, bytes, count);
    return bytes;
  }

  /** CRC32C of the whole block, computed piecewise. */
  public long crc32c() {
    CRC32C crc = new CRC32C();
    byte[] piece = new byte[1 << 20];
    for (long offset = 0; offset < length; offset += piece.length) {
      int n = (int) Math.min(piece.length, length - offset);
      fill(offset, piece, n);
      crc.update(piece, 0, n);
    }
    return crc.getValue();
  }
}
