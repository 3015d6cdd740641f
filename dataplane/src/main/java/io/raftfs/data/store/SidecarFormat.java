package io.raftfs.data.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The checksum sidecar stored next to each block file.
 *
 * <pre>
 * int   magic "RFSC"   int  version (1)
 * long  block length   int  whole-block CRC32C
 * int   chunk size     int  chunk count
 * int[] chunk CRC32Cs
 * int   CRC32C of everything above (a torn or damaged sidecar is detected, never trusted)
 * </pre>
 */
public final class SidecarFormat {
  private static final int MAGIC = 0x52465343;
  private static final int VERSION = 1;
  private static final int HEADER_BYTES = 4 + 4 + 8 + 4 + 4 + 4;

  private SidecarFormat() {}

  public static ByteBuffer encode(BlockChecksums checksums) {
    int[] chunks = checksums.chunkCrcs();
    ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + 4 * chunks.length + 4);
    out.putInt(MAGIC)
        .putInt(VERSION)
        .putLong(checksums.length())
        .putInt((int) checksums.crc32c())
        .putInt(BlockChecksums.CHUNK_SIZE)
        .putInt(chunks.length);
    for (int crc : chunks) {
      out.putInt(crc);
    }
    CRC32C crc = new CRC32C();
    crc.update(out.array(), 0, out.position());
    out.putInt((int) crc.getValue());
    return out.flip();
  }

  public static BlockChecksums decode(ByteBuffer in) throws IOException {
    if (in.remaining() < HEADER_BYTES + 4) {
      throw new IOException("sidecar too short: " + in.remaining() + " bytes");
    }
    int start = in.position();
    if (in.getInt() != MAGIC || in.getInt() != VERSION) {
      throw new IOException("not a raftfs checksum sidecar (bad magic or version)");
    }
    long length = in.getLong();
    long crc32c = Integer.toUnsignedLong(in.getInt());
    int chunkSize = in.getInt();
    int count = in.getInt();
    if (chunkSize != BlockChecksums.CHUNK_SIZE
        || length < 0
        || count != BlockChecksums.chunkCount(length)
        || in.remaining() != 4L * count + 4) {
      throw new IOException("inconsistent sidecar header");
    }
    int[] chunks = new int[count];
    for (int i = 0; i < count; i++) {
      chunks[i] = in.getInt();
    }
    CRC32C crc = new CRC32C();
    ByteBuffer covered = in.duplicate().flip().position(start);
    crc.update(covered);
    if ((int) crc.getValue() != in.getInt()) {
      throw new IOException("sidecar checksum mismatch");
    }
    return new BlockChecksums(length, crc32c, chunks);
  }
}
