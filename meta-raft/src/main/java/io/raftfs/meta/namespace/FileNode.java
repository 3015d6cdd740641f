package io.raftfs.meta.namespace;

import io.raftfs.proto.BlockInfo;
import io.raftfs.protocol.DataNodeProtocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A committed file. Its blocks are packed two longs each (id; length in the high 32 bits and the
 * CRC32C in the low 32), which keeps a one-block file near 140 bytes of heap in all.
 */
final class FileNode extends INode {
  /** Lengths are packed in 32 bits, the protocol's limit, which data nodes and clients share. */
  static final long MAX_BLOCK_LENGTH = DataNodeProtocol.MAX_BLOCK_BYTES;

  final byte replication;
  // Unsigned: block sizes are at most MAX_BLOCK_LENGTH (32 bits). An int, not a long, keeps the
  // node small beside the owners reference and mode that INode added.
  private final int blockSize;
  // Immutable; most files have none and share Map.of().
  final Map<String, String> attributes;
  private final long[] packedBlocks;

  FileNode(
      String name,
      long mtimeMillis,
      Owners owners,
      int mode,
      int replication,
      long blockSize,
      List<BlockInfo> blocks,
      Map<String, String> attributes) {
    super(name, mtimeMillis, owners, mode);
    this.replication = (byte) replication;
    this.blockSize = (int) blockSize;
    this.attributes = attributes.isEmpty() ? Map.of() : Map.copyOf(attributes);
    this.packedBlocks = new long[blocks.size() * 2];
    for (int i = 0; i < blocks.size(); i++) {
      BlockInfo block = blocks.get(i);
      packedBlocks[2 * i] = block.getBlockId();
      packedBlocks[2 * i + 1] = (block.getLength() << 32) | (block.getCrc32C() & 0xFFFF_FFFFL);
    }
  }

  @Override
  boolean isDirectory() {
    return false;
  }

  long blockSize() {
    return Integer.toUnsignedLong(blockSize);
  }

  int blockCount() {
    return packedBlocks.length / 2;
  }

  long blockId(int index) {
    return packedBlocks[2 * index];
  }

  long length() {
    long total = 0;
    for (int i = 1; i < packedBlocks.length; i += 2) {
      total += packedBlocks[i] >>> 32;
    }
    return total;
  }

  List<BlockInfo> blocks() {
    List<BlockInfo> blocks = new ArrayList<>(blockCount());
    for (int i = 0; i < packedBlocks.length; i += 2) {
      blocks.add(
          BlockInfo.newBuilder()
              .setBlockId(packedBlocks[i])
              .setLength(packedBlocks[i + 1] >>> 32)
              .setCrc32C((int) packedBlocks[i + 1])
              .build());
    }
    return blocks;
  }
}
