package io.raftfs.data.store;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

/** Computes {@link BlockChecksums} over bytes that arrive in pieces of any size. */
public final class BlockChecksummer {
  private final CRC32C whole = new CRC32C();
  private final CRC32C chunk = new CRC32C();
  private int[] chunkCrcs = new int[16];
  private int chunks;
  private int inChunk;
  private long length;

  public void update(byte[] bytes) {
    update(ByteBuffer.wrap(bytes));
  }

  public void update(ByteBuffer bytes) {
    ByteBuffer rest = bytes.duplicate();
    whole.update(rest.duplicate());
    length += rest.remaining();
    while (rest.hasRemaining()) {
      int n = Math.min(rest.remaining(), BlockChecksums.CHUNK_SIZE - inChunk);
      ByteBuffer piece = rest.slice();
      piece.limit(n);
      chunk.update(piece);
      rest.position(rest.position() + n);
      inChunk += n;
      if (inChunk == BlockChecksums.CHUNK_SIZE) {
        closeChunk();
      }
    }
  }

  public long length() {
    return length;
  }

  public long crc32c() {
    return whole.getValue();
  }

  public BlockChecksums finish() {
    if (inChunk > 0) {
      closeChunk();
    }
    return new BlockChecksums(length, whole.getValue(), Arrays.copyOf(chunkCrcs, chunks));
  }

  private void closeChunk() {
    if (chunks == chunkCrcs.length) {
      chunkCrcs = Arrays.copyOf(chunkCrcs, chunks * 2);
    }
    chunkCrcs[chunks++] = (int) chunk.getValue();
    chunk.reset();
    inChunk = 0;
  }
}
