package io.raftfs.meta.placement;

import io.raftfs.proto.BlockIdRange;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;

/**
 * Hands out block ids on the leader without a log write per block: ids come from a range the leader
 * reserved through the log (one entry per {@code reservation} ids), so they never repeat, also
 * across leader changes. A new leader starts empty ({@link #reset}) and reserves its own.
 */
public final class BlockIdPool {
  private final LongFunction<CompletableFuture<BlockIdRange>> reserve;
  private final long reservation;
  private long next;
  private long end;
  private CompletableFuture<Void> pending;
  private long generation;

  /**
   * @param reserve appends a reservation of that many ids to the log and completes with the range
   */
  public BlockIdPool(LongFunction<CompletableFuture<BlockIdRange>> reserve, long reservation) {
    this.reserve = reserve;
    this.reservation = reservation;
  }

  /** The first of {@code count} consecutive fresh ids. */
  public CompletableFuture<Long> take(int count) {
    CompletableFuture<Void> waitFor;
    synchronized (this) {
      if (end - next >= count) {
        long first = next;
        next += count;
        return CompletableFuture.completedFuture(first);
      }
      if (pending == null) {
        long generationAtStart = generation;
        // Dependents of `pending` run only after the new range is installed.
        pending =
            reserve
                .apply(Math.max(reservation, count))
                .thenAccept(range -> installed(generationAtStart, range))
                .whenComplete((ignored, failure) -> clearPending(generationAtStart));
      }
      waitFor = pending;
    }
    return waitFor.thenCompose(ignored -> take(count));
  }

  private synchronized void installed(long generationAtStart, BlockIdRange range) {
    if (generation == generationAtStart) {
      next = range.getFirst();
      end = range.getFirst() + range.getCount();
    }
  }

  private synchronized void clearPending(long generationAtStart) {
    if (generation == generationAtStart) {
      pending = null;
    }
  }

  /** Forgets the current range: called when leadership changes. */
  public synchronized void reset() {
    generation++;
    next = 0;
    end = 0;
    pending = null;
  }
}
