package io.raftfs.data.master;

import io.raftfs.data.store.BlockEntry;
import io.raftfs.proto.BlockReport;
import io.raftfs.proto.StoredBlock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What one master has not yet been told about this node's blocks: either "everything" (a full
 * report is due) or the blocks added and removed since the last report it acknowledged.
 * Thread-safe: the store adds to it from the threads that store and delete, the master's link
 * drains it.
 */
final class BlockReportQueue {
  private final Map<Long, BlockEntry> added = new LinkedHashMap<>();
  private final Set<Long> removed = new LinkedHashSet<>();
  private boolean fullDue = true;

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
   * The report to send now, clearing what it covers; {@code stored} is asked only for a full one (a
   * copy of the whole index on every incremental report cost O(blocks) per stored block). It is
   * asked after the queue was cleared and outside its lock: a block stored or deleted meanwhile is
   * in the next report too, which only repeats what the master knows, and the threads that store
   * blocks never wait for a copy of the whole index.
   */
  BlockReport drain(String nodeId, Supplier<Collection<BlockEntry>> stored) {
    boolean full;
    List<BlockEntry> addedNow;
    List<Long> removedNow;
    synchronized (this) {
      full = fullDue;
      addedNow = List.copyOf(added.values());
      removedNow = List.copyOf(removed);
      fullDue = false;
      added.clear();
      removed.clear();
    }
    BlockReport.Builder report = BlockReport.newBuilder().setNodeId(nodeId).setFull(full);
    if (full) {
      stored.get().forEach(block -> report.addAdded(toProto(block)));
    } else {
      addedNow.forEach(block -> report.addAdded(toProto(block)));
      report.addAllRemoved(removedNow);
    }
    return report.build();
  }

  static StoredBlock toProto(BlockEntry block) {
    return StoredBlock.newBuilder()
        .setBlockId(block.blockId())
        .setLength(block.length())
        .setCrc32C((int) block.crc32c())
        .build();
  }
}
