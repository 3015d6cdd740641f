package io.raftfs.client.transfer;

import io.raftfs.client.meta.MetaClient;
import io.raftfs.client.meta.NotEnoughDataNodesException;
import io.raftfs.proto.BlockInfo;
import io.raftfs.proto.DataNodeAddress;
import io.raftfs.proto.LocatedBlock;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Stores one block of a file with full replication. Asks the leader for a placement (a small block
 * takes one from the {@link PlacementReserve}), uploads the block once through the chain, and
 * checks that every placed node holds it. When a node fails, it asks for a new placement that
 * avoids that node (for the rest of the file too) and uploads the block again.
 */
final class BlockUploader {
  static final int MAX_ATTEMPTS = 5;

  private final MetaClient meta;
  private final DataNodeClient dataNodes;
  private final PlacementReserve reserve;
  private final Duration placementPatience;
  private final String path;
  private final int replication;
  private final boolean overwrite;
  private final Set<String> excludedNodeIds;
  private final LongConsumer progress;

  BlockUploader(
      MetaClient meta,
      DataNodeClient dataNodes,
      PlacementReserve reserve,
      Duration placementPatience,
      String path,
      int replication,
      boolean overwrite,
      Set<String> excludedNodeIds,
      LongConsumer progress) {
    this.meta = meta;
    this.dataNodes = dataNodes;
    this.reserve = reserve;
    this.placementPatience = placementPatience;
    this.path = path;
    this.replication = replication;
    this.overwrite = overwrite;
    this.excludedNodeIds = excludedNodeIds;
    this.progress = progress;
  }

  BlockInfo upload(BlockSlice slice) throws IOException {
    int crc = slice.crc32c();
    DataNodeException last = null;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      LocatedBlock placed = attempt == 1 ? reserved(slice.length()) : null;
      if (placed == null) {
        placed = place(slice.length());
      }
      long blockId = placed.getBlock().getBlockId();
      List<String> chain =
          placed.getReplicasList().stream().map(DataNodeAddress::getHttpAddress).toList();
      AtomicLong sent = new AtomicLong();
      try {
        List<String> stored =
            dataNodes.putBlock(
                placed.getReplicasList(),
                blockId,
                slice,
                crc,
                placed.getToken(),
                n -> {
                  sent.addAndGet(n);
                  progress.accept(n);
                });
        requireAllStored(chain, stored, blockId);
        return BlockInfo.newBuilder()
            .setBlockId(blockId)
            .setLength(slice.length())
            .setCrc32C(crc)
            .build();
      } catch (DataNodeException e) {
        progress.accept(-sent.get());
        last = e;
        if (e.status() == 400) {
          break;
        }
        if (e.tokenRefused()) {
          // Expired (a slow upload), or the node has not yet learned a key rolled just now: the
          // next attempt's placement brings a fresh token, after a pause for the key to spread.
          pause(attempt);
          continue;
        }
        placed.getReplicasList().stream()
            .filter(node -> node.getHttpAddress().equals(e.blamedNode()))
            .forEach(node -> excludedNodeIds.add(node.getNodeId()));
      }
    }
    throw new BlockTransferException(
        path + ": could not store block " + slice.index() + ": " + last.getMessage(), last);
  }

  /** A placement from the reserve for a small block no node of this file failed yet, or null. */
  private LocatedBlock reserved(long length) {
    if (length > PlacementReserve.MAX_BLOCK_BYTES || !excludedNodeIds.isEmpty()) {
      return null;
    }
    return reserve.take(replication);
  }

  /**
   * A placement avoiding the nodes that failed. When the leader finds too few nodes, the exclusions
   * are dropped (a node blamed for a broken chain may be healthy) and, if the cluster has enough
   * data nodes at all, placement is asked again with growing pauses for the placement patience:
   * liveness is soft state, briefly incomplete right after a leader change or while nodes
   * (re)register.
   */
  private LocatedBlock place(long length) throws InterruptedIOException {
    long deadline = System.nanoTime() + placementPatience.toNanos();
    long pauseMillis = 50;
    while (true) {
      try {
        // The space the replicas need is this block's, not the file's block size: asking for a
        // whole block per 4 KiB file, 800 puts/s between two heartbeats "used up" a 60 GB disk.
        return meta.allocateBlocks(
                path, replication, 1, Math.max(1, length), excludedNodeIds, overwrite)
            .get(0);
      } catch (NotEnoughDataNodesException e) {
        excludedNodeIds.clear();
        if (System.nanoTime() - deadline > 0
            || meta.clusterStatus().getDataNodesCount() < replication) {
          throw e;
        }
      }
      try {
        Thread.sleep(pauseMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for data nodes");
      }
      pauseMillis = Math.min(pauseMillis * 2, 1000);
    }
  }

  private static void pause(int attempt) throws InterruptedIOException {
    try {
      Thread.sleep(100L * attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to retry a block");
    }
  }

  private static void requireAllStored(List<String> chain, List<String> stored, long blockId)
      throws DataNodeException {
    if (!new HashSet<>(stored).containsAll(chain)) {
      throw new DataNodeException(
          chain.get(0)
              + ": block "
              + Long.toUnsignedString(blockId)
              + " stored on "
              + stored
              + " instead of "
              + chain,
          201,
          chain.get(0),
          null);
    }
  }
}
