package io.raftfs.client.transfer;

import io.raftfs.client.meta.MetaClient;
import io.raftfs.client.meta.MetaException;
import io.raftfs.proto.DataNodeAddress;
import io.raftfs.proto.LocatedBlock;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
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

  /**
   * Writes the block into {@code target}. When every listed replica fails, the locations are asked
   * for once more: a replica whose block report had not yet reached the masters may be listed now,
   * and a replica that refused the block token (expired during a long read) is tried again with the
   * fresh one.
   */
  void download(LocatedBlock located, BlockSink target) throws IOException {
    download(located, 0, located.getBlock().getLength(), target);
  }

  /**
   * Writes {@code length} bytes of the block from {@code offset} on into {@code target}, at
   * positions relative to {@code offset}, from the first replica that delivers them checked: a
   * whole block against its CRC32C, a part chunk by chunk (see {@link
   * DataNodeClient#getBlockRange}).
   */
  void download(LocatedBlock located, long offset, long length, BlockSink target)
      throws IOException {
    long blockId = located.getBlock().getBlockId();
    Attempts attempts = new Attempts();
    if (tryReplicas(located, offset, length, target, attempts)) {
      return;
    }
    LocatedBlock fresh = relocate(located);
    if (fresh != null && tryReplicas(fresh, offset, length, target, attempts)) {
      return;
    }
    String why =
        attempts.failures.isEmpty()
            ? ": no live replica"
            : attempts.failures.replaceFirst("^; ", ": ");
    throw new BlockTransferException(
        path + ": cannot read block " + Long.toUnsignedString(blockId) + why, attempts.last);
  }

  /** What was tried for one block, across both rounds. */
  private static final class Attempts {
    final Set<String> tried = new HashSet<>();
    String failures = "";
    IOException last;
  }

  private boolean tryReplicas(
      LocatedBlock located, long offset, long length, BlockSink target, Attempts attempts)
      throws IOException {
    long blockId = located.getBlock().getBlockId();
    boolean whole = offset == 0 && length == located.getBlock().getLength();
    for (DataNodeAddress replica : located.getReplicasList()) {
      if (!attempts.tried.add(replica.getNodeId())) {
        continue;
      }
      AtomicLong received = new AtomicLong();
      LongConsumer counted =
          n -> {
            received.addAndGet(n);
            progress.accept(n);
          };
      try {
        if (!whole) {
          dataNodes.getBlockRange(
              replica,
              blockId,
              located.getBlock().getLength(),
              offset,
              length,
              located.getToken(),
              target,
              counted);
          return true;
        }
        int crc = dataNodes.getBlock(replica, blockId, length, located.getToken(), target, counted);
        if (crc == located.getBlock().getCrc32C()) {
          return true;
        }
        progress.accept(-received.get());
        attempts.failures += "; " + replica.getHttpAddress() + ": checksum mismatch";
        reportBadReplica(blockId, replica.getNodeId());
      } catch (CorruptReplicaException e) {
        progress.accept(-received.get());
        attempts.failures += "; " + e.getMessage();
        attempts.last = e;
        reportBadReplica(blockId, replica.getNodeId());
      } catch (DataNodeException e) {
        progress.accept(-received.get());
        attempts.failures += "; " + e.getMessage();
        attempts.last = e;
        if (e.tokenRefused()) {
          attempts.tried.remove(replica.getNodeId());
        }
      }
    }
    return false;
  }

  /** The block as the leader locates it now (replicas and a fresh token), or null. */
  private LocatedBlock relocate(LocatedBlock located) {
    try {
      for (LocatedBlock block : meta.getBlockLocations(path).getBlocksList()) {
        if (block.getBlock().getBlockId() == located.getBlock().getBlockId()) {
          // The committed length and checksum stay those the read started with.
          return block.toBuilder().setBlock(located.getBlock()).build();
        }
      }
    } catch (MetaException e) {
      // Nothing more to try: the error below names what failed.
    }
    return null;
  }

  private void reportBadReplica(long blockId, String nodeId) {
    try {
      meta.reportBadReplica(blockId, nodeId);
    } catch (MetaException e) {
      // The scrubber finds the replica anyway; the download goes on with the next one.
    }
  }
}
