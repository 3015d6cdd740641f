package io.raftfs.data.store;

import io.raftfs.protocol.DataNodeProtocol;

/**
 * The checksums of a block: its length, the CRC32C of the whole block and one CRC32C per chunk of
 * {@link #CHUNK_SIZE} bytes (the last chunk may be shorter), so a range can be verified without
 * reading the whole block.
 */
public record BlockChecksums(long length, long crc32c, int[] chunkCrcs) {
  /** Readers check ranges against these chunks' CRCs: the size is part of the protocol. */
  public static final int CHUNK_SIZE = DataNodeProtocol.CHUNK_BYTES;

  /** The checksums of a block no longer than one chunk: its chunk CRC is its CRC. */
  public static BlockChecksums ofSingleChunk(long length, long crc32c) {
    if (length > CHUNK_SIZE) {
      throw new IllegalArgumentException("a block of " + length + " bytes has several chunks");
    }
    return new BlockChecksums(length, crc32c, length == 0 ? new int[0] : new int[] {(int) crc32c});
  }

  public static int chunkCount(long length) {
    return (int) ((length + CHUNK_SIZE - 1) / CHUNK_SIZE);
  }
}
