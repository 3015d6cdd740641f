package io.raftfs.client.transfer;

import io.raftfs.client.BlockTransferException;
import io.raftfs.meta.client.MetaClient;
import io.raftfs.meta.client.MetaException;
import io.raftfs.proto.DataNodeAddress;
import io.raftfs.proto.LocatedBlock;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Reads one block from the first replica that delivers it intact. The bytes are checked against the
 * CRC32C committed with the file; a replica that sends other bytes is reported to the masters as
 * bad, and the next replica is tried.
 */
final class BlockDownloader {
  private final MetaClient meta;
  private final DataNodeClient dataNodes;
  private final String path;
  private final LongConsumer progress;

  BlockDownloader(MetaClient meta, DataNodeClient dataNodes, String path, LongConsumer progress) {
    this.meta = meta;
    this.dataNodes = dataNodes;
    this.path = path;
    this.progress = progress;
  }

  /** Writes the block into {@code target} starting at {@code position}. */
  void download(LocatedBlock located, FileChannel target, long position) throws IOException {
    long blockId = located.getBlock().getBlockId();
    long length = located.getBlock().getLength();
    int expected = located.getBlock().getCrc32C();
    String failures = "";
    IOException last = null;
    for (DataNodeAddress replica : located.getReplicasList()) {
      AtomicLong received = new AtomicLong();
      try {
        int crc =
            dataNodes.getBlock(
                replica.getHttpAddress(),
                blockId,
                length,
                target,
                position,
                n -> {
                  received.addAndGet(n);
                  progress.accept(n);
                });
        if (crc == expected) {
          return;
        }
        progress.accept(-received.get());
        failures += "; " + replica.getHttpAddress() + ": checksum mismatch";
        reportBadReplica(blockId, replica.getNodeId());
      } catch (DataNodeException e) {
        progress.accept(-received.get());
        failures += "; " + e.getMessage();
        last = e;
      }
    }
    String why = failures.isEmpty() ? ": no live replica" : failures.replaceFirst("^; ", ": ");
    throw new BlockTransferException(
        path + ": cannot read block " + Long.toUnsignedString(blockId) + why, last);
  }

  private void reportBadReplica(long blockId, String nodeId) {
    try {
      meta.reportBadReplica(blockId, nodeId);
    } catch (MetaException e) {
      // The scrubber finds the replica anyway; the download goes on with the next one.
    }
  }
}
