package io.raftfs.client.transfer;

import io.raftfs.protocol.DataNodeProtocol;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;

/**
 * Receives a chunk-aligned range of a block, checks every chunk against the CRC32C the data node
 * listed for it ({@link DataNodeProtocol#CHUNK_CRC32C}), and passes on only the bytes the reader
 * asked for. A chunk's bytes reach the reader only after the whole chunk passed, so nothing
 * unchecked is ever handed out.
 */
final class ChunkCheckedSink {
  private final int[] expected;
  private final long rangeStart;
  private final long wantedStart;
  private final long wantedEnd;
  private final BlockSink target;
  private final LongConsumer progress;
  private final String node;
  private final CRC32C crc = new CRC32C();
  private final ByteBuffer chunk = ByteBuffer.allocate(DataNodeProtocol.CHUNK_BYTES);
  private int chunkIndex;

  /**
   * @param rangeStart the block offset of the first byte that will arrive (a chunk boundary)
   * @param wantedStart the reader's first byte (block offset); written to {@code target} at 0
   * @param wantedEnd the block offset after the reader's last byte
   */
  ChunkCheckedSink(
      int[] expected,
      long rangeStart,
      long wantedStart,
      long wantedEnd,
      BlockSink target,
      LongConsumer progress,
      String node) {
    this.expected = expected;
    this.rangeStart = rangeStart;
    this.wantedStart = wantedStart;
    this.wantedEnd = wantedEnd;
    this.target = target;
    this.progress = progress;
    this.node = node;
  }

  /** Takes the next received bytes. */
  void accept(byte[] bytes, int offset, int length) throws IOException {
    while (length > 0) {
      int n = Math.min(length, chunk.remaining());
      chunk.put(bytes, offset, n);
      offset += n;
      length -= n;
      if (!chunk.hasRemaining()) {
        flushChunk();
      }
    }
  }

  /** Checks the last, possibly short, chunk; every listed chunk must have arrived. */
  void finish() throws IOException {
    if (chunk.position() > 0) {
      flushChunk();
    }
    if (chunkIndex != expected.length) {
      throw new DataNodeException(
          node + ": the range ended after " + chunkIndex + " of " + expected.length + " chunks",
          206,
          node,
          null);
    }
  }

  private void flushChunk() throws IOException {
    if (chunkIndex == expected.length) {
      throw new DataNodeException(
          node + ": the range is longer than its " + expected.length + " chunks", 206, node, null);
    }
    crc.reset();
    crc.update(chunk.array(), 0, chunk.position());
    long chunkStart = rangeStart + (long) chunkIndex * DataNodeProtocol.CHUNK_BYTES;
    if ((int) crc.getValue() != expected[chunkIndex]) {
      throw new CorruptReplicaException(
          node
              + ": bytes "
              + chunkStart
              + "+"
              + chunk.position()
              + " of the block fail their CRC32C",
          node);
    }
    long chunkEnd = chunkStart + chunk.position();
    long from = Math.max(chunkStart, wantedStart);
    long to = Math.min(chunkEnd, wantedEnd);
    if (from < to) {
      ByteBuffer wanted =
          ByteBuffer.wrap(chunk.array(), (int) (from - chunkStart), (int) (to - from));
      target.write(wanted, from - wantedStart);
      progress.accept(to - from);
    }
    chunk.clear();
    chunkIndex++;
  }
}
