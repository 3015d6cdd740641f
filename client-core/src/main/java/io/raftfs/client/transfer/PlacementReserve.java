package io.raftfs.client.transfer;

import io.raftfs.client.config.ClientConfig;
import io.raftfs.client.meta.MastersUnavailableException;
import io.raftfs.client.meta.MetaClient;
import io.raftfs.client.meta.MetaException;
import io.raftfs.proto.LocatedBlock;
import io.raftfs.protocol.DataNodeProtocol;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Placements for small blocks fetched ahead, up to a batch at a time, the way SeaweedFS clients ask
 * for {@code assign?count=N}: a small file's put then talks to the leader once (its commit) instead
 * of twice. Batches start at one and double while they get used up, so a client that puts one file
 * (the CLI) asks for no more than it needs. A placement older than its maximum age is not used (the
 * nodes it names may have died since), and the next batch is one again; a placement that fails is
 * replaced through the normal per-block allocation.
 *
 * <p>What a reserved placement does not do is refuse an existing path before the upload: the commit
 * refuses it instead, after a few KiB were sent (the leader drops the orphaned replicas).
 *
 * <pre>{@code
 * PlacementReserve reserve = new PlacementReserve(meta, System::nanoTime);
 * LocatedBlock placed = reserve.take(3); // null: allocate for the file instead
 * }</pre>
 */
public final class PlacementReserve {
  /** Largest block served from the reserve: what a data node packs. */
  public static final long MAX_BLOCK_BYTES = DataNodeProtocol.SMALL_BLOCK_MAX_BYTES;

  private final MetaClient meta;
  private final LongSupplier nanoClock;
  private final int maxBatch;
  // Threads that found the reserve empty together each fetch a batch; beyond this many the rest
  // are dropped rather than kept to go stale.
  private final int maxKept;
  private final long maxAgeNanos;
  // Replication factor -> placements, oldest first; guarded by this.
  private final Map<Integer, ArrayDeque<Reserved>> reserves = new HashMap<>();
  // Size of the next batch; guarded by this.
  private int nextBatch = 1;

  private record Reserved(LocatedBlock block, long fetchedNanos) {}

  /** With the default batch, size and age. */
  public PlacementReserve(MetaClient meta, LongSupplier nanoClock) {
    this(meta, nanoClock, ClientConfig.DEFAULTS);
  }

  public PlacementReserve(MetaClient meta, LongSupplier nanoClock, ClientConfig config) {
    this.meta = meta;
    this.nanoClock = nanoClock;
    this.maxBatch = config.reserveBatch();
    this.maxKept = config.reserveSize();
    this.maxAgeNanos = config.reserveMaxAge().toNanos();
  }

  /**
   * A fresh placement for a block of at most {@link #MAX_BLOCK_BYTES} with {@code replication}
   * replicas, fetching a batch when none is left; null when the leader had none to give (too few
   * data nodes with room), so the caller allocates for its file and waits as that does.
   *
   * @throws MastersUnavailableException when no leader answered
   */
  public LocatedBlock take(int replication) {
    LocatedBlock reserved = poll(replication);
    if (reserved != null) {
      return reserved;
    }
    int count;
    synchronized (this) {
      count = nextBatch;
      nextBatch = Math.min(maxBatch, nextBatch * 2);
    }
    List<LocatedBlock> fetched;
    try {
      fetched = meta.allocateBlocks("", replication, count, MAX_BLOCK_BYTES, List.of(), false);
    } catch (MastersUnavailableException e) {
      throw e;
    } catch (MetaException e) {
      return null;
    }
    long now = nanoClock.getAsLong();
    synchronized (this) {
      ArrayDeque<Reserved> reserve = reserves.computeIfAbsent(replication, r -> new ArrayDeque<>());
      for (LocatedBlock block : fetched.subList(1, fetched.size())) {
        if (reserve.size() < maxKept) {
          reserve.add(new Reserved(block, now));
        }
      }
    }
    return fetched.get(0);
  }

  private synchronized LocatedBlock poll(int replication) {
    ArrayDeque<Reserved> reserve = reserves.get(replication);
    long now = nanoClock.getAsLong();
    while (reserve != null && !reserve.isEmpty()) {
      Reserved next = reserve.poll();
      if (now - next.fetchedNanos() < maxAgeNanos) {
        return next.block();
      }
      // Fetched more than was used in time: demand fell.
      nextBatch = 1;
    }
    return null;
  }

  /**
   * Drops every placement kept: a commit was refused because its block was handed out longer ago
   * than the masters keep uncommitted blocks, so the ones kept are no younger.
   */
  public synchronized void clear() {
    reserves.clear();
    nextBatch = 1;
  }

  /** Placements kept for {@code replication}, fresh or not (tests). */
  synchronized int kept(int replication) {
    ArrayDeque<Reserved> reserve = reserves.get(replication);
    return reserve == null ? 0 : reserve.size();
  }
}
