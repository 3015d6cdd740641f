package io.raftfs.data.master;

import io.raftfs.data.store.BlockEntry;
import io.raftfs.proto.BlockReport;
import io.raftfs.proto.StoredBlock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What one master has not yet been told about this node's blocks: either "everything" (a full
 * report is due) or the blocks added and removed since the last report it acknowledged. Not
 * thread-safe: used on one event loop.
 */
final class BlockReportQueue {
  private final Map<Long, BlockEntry> added = new LinkedHashMap<>();
  private final Set<Long> removed = new LinkedHashSet<>();
  private boolean fullDue = true;

  void blockAdded(BlockEntry block) {
    removed.remove(block.blockId());
    added.put(block.blockId(), block);
  }

  void blockRemoved(long blockId) {
    added.remove(blockId);
    removed.add(blockId);
  }

  /** After a failed report or an unknown registration the master's view is lost: resend all. */
  void requireFull() {
    fullDue = true;
  }

  boolean isEmpty() {
    return !fullDue && added.isEmpty() && removed.isEmpty();
  }

  /**
   * The report to send now, clearing what it covers; {@code stored} is asked only for a full one (a
   * copy of the whole index on every incremental report cost O(blocks) per stored block).
   */
  BlockReport drain(String nodeId, Supplier<Collection<BlockEntry>> stored) {
    BlockReport.Builder report = BlockReport.newBuilder().setNodeId(nodeId).setFull(fullDue);
    if (fullDue) {
      stored.get().forEach(block -> report.addAdded(toProto(block)));
    } else {
      added.values().forEach(block -> report.addAdded(toProto(block)));
      report.addAllRemoved(removed);
    }
    fullDue = false;
    added.clear();
    removed.clear();
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
