package io.raftfs.data.master;

import io.raftfs.data.store.BlockEntry;
import io.raftfs.proto.BlockReport;
import io.raftfs.proto.StoredBlock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What one master has not yet been told about this node's blocks: either "everything" (a full
 * report is due) or the blocks added and removed since the last report it acknowledged.
 * Thread-safe: the store adds to it from the threads that store and delete, the master's link
 * drains it.
 */
final class BlockReportQueue {
  /**
   * Blocks per message of a full report: about 1.6 MB of protobuf. A million blocks in one message
   * passed the masters' 16 MiB body limit, was refused every time, and a restarted master never
   * left safe mode.
   */
  static final int MAX_BLOCKS_PER_CHUNK = 100_000;

  private final Map<Long, BlockEntry> added = new LinkedHashMap<>();
  private final Set<Long> removed = new LinkedHashSet<>();
  private boolean fullDue = true;
  private long lastReportId;

  synchronized void blockAdded(BlockEntry block) {
    removed.remove(block.blockId());
    added.put(block.blockId(), block);
  }

  synchronized void blockRemoved(long blockId) {
    added.remove(blockId);
    removed.add(blockId);
  }

  /** After a failed report or an unknown registration the master's view is lost: resend all. */
  synchronized void requireFull() {
    fullDue = true;
  }

  synchronized boolean isEmpty() {
    return !fullDue && added.isEmpty() && removed.isEmpty();
  }

  /**
   * The messages to send now, in order, clearing what they cover: one incremental report, or the
   * chunks of a full one, each built only when its turn comes. {@code stored} is asked only for a
   * full one (a copy of the whole index on every incremental report cost O(blocks) per stored
   * block). It is asked after the queue was cleared and outside its lock: a block stored or deleted
   * meanwhile is in the next report too, which only repeats what the master knows, and the threads
   * that store blocks never wait for a copy of the whole index.
   */
  Iterator<BlockReport> drain(String nodeId, Supplier<List<BlockEntry>> stored) {
    boolean full;
    long reportId;
    List<BlockEntry> addedNow;
    List<Long> removedNow;
    synchronized (this) {
      full = fullDue;
      reportId = full ? ++lastReportId : 0;
      addedNow = List.copyOf(added.values());
      removedNow = List.copyOf(removed);
      fullDue = false;
      added.clear();
      removed.clear();
    }
    if (full) {
      return new FullReportChunks(nodeId, reportId, stored.get());
    }
    BlockReport.Builder report = BlockReport.newBuilder().setNodeId(nodeId);
    addedNow.forEach(block -> report.addAdded(toProto(block)));
    report.addAllRemoved(removedNow);
    return List.of(report.build()).iterator();
  }

  /** The chunks of one full report, built one at a time from the list of stored blocks. */
  private static final class FullReportChunks implements Iterator<BlockReport> {
    private final String nodeId;
    private final long reportId;
    private final List<BlockEntry> blocks;
    private int nextChunk;

    FullReportChunks(String nodeId, long reportId, List<BlockEntry> blocks) {
      this.nodeId = nodeId;
      this.reportId = reportId;
      this.blocks = blocks;
    }

    @Override
    public boolean hasNext() {
      // An empty store still sends one chunk: it is what tells the master "nothing".
      return nextChunk == 0 || (long) nextChunk * MAX_BLOCKS_PER_CHUNK < blocks.size();
    }

    @Override
    public BlockReport next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      int from = nextChunk * MAX_BLOCKS_PER_CHUNK;
      int to = Math.min(blocks.size(), from + MAX_BLOCKS_PER_CHUNK);
      BlockReport.Builder chunk =
          BlockReport.newBuilder()
              .setNodeId(nodeId)
              .setFull(true)
              .setReportId(reportId)
              .setChunkIndex(nextChunk)
              .setMoreChunks(to < blocks.size());
      blocks.subList(from, to).forEach(block -> chunk.addAdded(toProto(block)));
      nextChunk++;
      return chunk.build();
    }
  }

  static StoredBlock toProto(BlockEntry block) {
    return StoredBlock.newBuilder()
        .setBlockId(block.blockId())
        .setLength(block.length())
        .setCrc32C((int) block.crc32c())
        .build();
  }
}
