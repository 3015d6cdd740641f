package io.raftfs.client.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Where the bytes of one downloaded block go: a region of a file, or an array in memory. Positions
 * are relative to the start of the block; a replica tried after a failed one writes from 0 again.
 *
 * <pre>{@code
 * dataNodes.getBlock(node, blockId, length, BlockSink.of(file, offsetOfBlock), progress);
 * }</pre>
 */
@FunctionalInterface
public interface BlockSink {
  /** Writes all of {@code bytes} at {@code position} of the block. */
  void write(ByteBuffer bytes, long position) throws IOException;

  /** The block's region of {@code file}, which starts at {@code offset}. */
  static BlockSink of(FileChannel file, long offset) {
    return (bytes, position) -> {
      long at = offset + position;
      while (bytes.hasRemaining()) {
        at += file.write(bytes, at);
      }
    };
  }

  /** {@code array}, which is as long as the block: the sender's length was checked before. */
  static BlockSink of(byte[] array) {
    return (bytes, position) -> bytes.get(array, Math.toIntExact(position), bytes.remaining());
  }
}
