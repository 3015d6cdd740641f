package io.raftfs.meta.datanodes;

import io.raftfs.proto.BlockReport;
import io.raftfs.proto.StoredBlock;
import java.util.Arrays;

/**
 * The chunks of one node's full block report as they arrive (a million blocks do not fit in one
 * request). Only the block ids are kept, 8 bytes a block, until the last chunk completes the
 * report. A chunk that does not continue the report in progress (a chunk was lost, or a newer
 * report began) drops it: the node's next full report replaces it. Not thread-safe: the tracker
 * holds the node.
 */
final class FullReportChunks {
  private long reportId;
  private int nextChunk = -1; // -1: no report in progress
  private long[] blockIds = new long[0];
  private int size;

  /** Adds a chunk; answers every block id of the report once its last chunk arrived, else null. */
  long[] add(BlockReport chunk) {
    if (chunk.getChunkIndex() == 0) {
      reportId = chunk.getReportId();
      nextChunk = 0;
      size = 0;
    } else if (nextChunk < 0
        || chunk.getReportId() != reportId
        || chunk.getChunkIndex() != nextChunk) {
      clear();
      return null;
    }
    if (size + chunk.getAddedCount() > blockIds.length) {
      blockIds =
          Arrays.copyOf(blockIds, Math.max(2 * blockIds.length, size + chunk.getAddedCount()));
    }
    for (StoredBlock block : chunk.getAddedList()) {
      blockIds[size++] = block.getBlockId();
    }
    nextChunk++;
    if (chunk.getMoreChunks()) {
      return null;
    }
    long[] all = Arrays.copyOf(blockIds, size);
    clear();
    return all;
  }

  private void clear() {
    nextChunk = -1;
    size = 0;
    blockIds = new long[0];
  }
}
