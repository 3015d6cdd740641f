package io.raftfs.meta.placement;

import io.raftfs.proto.BlockIdRange;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

/**
 * Hands out block ids on the leader without a log write per block: ids come from a range the leader
 * reserved through the log (one entry per {@code reservation} ids), so they never repeat, also
 * across leader changes. A new leader starts empty ({@link #reset}) and reserves its own.
 *
 * <p>It also remembers, roughly, when it handed out which ids ({@link #handedOutBefore}), so the
 * repair loop can retire the ids of uploads older than the orphan grace period. Soft state: the
 * answer only decides how soon an uncommitted upload is given up, never whether a committed block
 * is safe (the log's retirement decides that).
 */
public final class BlockIdPool {
  // Checkpoints kept at most: older ones are dropped, which only delays retirement.
  private static final int MAX_CHECKPOINTS = 1024;

  private final LongFunction<CompletableFuture<BlockIdRange>> reserve;
  private final long reservation;
  private final LongSupplier nanoClock;
  private final long checkpointNanos;
  private long next;
  private long end;
  private CompletableFuture<Void> pending;
  private long generation;
  // (nanos, id): every id below `id` had been handed out by `nanos`; oldest first.
  private final ArrayDeque<long[]> checkpoints = new ArrayDeque<>();
  private long stepStartNanos;
  // False until a take starts a step: the checkpoint a reset left is never moved.
  private boolean stepOpen;

  /**
   * @param reserve appends a reservation of that many ids to the log and completes with the range
   * @param nanoClock the time ids are handed out at
   * @param checkpointNanos how finely {@link #handedOutBefore} tells times apart
   */
  public BlockIdPool(
      LongFunction<CompletableFuture<BlockIdRange>> reserve,
      long reservation,
      LongSupplier nanoClock,
      long checkpointNanos) {
    this.reserve = reserve;
    this.reservation = reservation;
    this.nanoClock = nanoClock;
    this.checkpointNanos = Math.max(1, checkpointNanos);
  }

  /** The first of {@code count} consecutive fresh ids. */
  public CompletableFuture<Long> take(int count) {
    CompletableFuture<Void> waitFor;
    synchronized (this) {
      if (end - next >= count) {
        long first = next;
        next += count;
        checkpoint(next);
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

  /**
   * An id such that every id below it that this master, or a leader before it, handed out was
   * handed out at or before {@code nanos}; 0 when nothing is known that old.
   */
  public synchronized long handedOutBefore(long nanos) {
    // Drop what a later checkpoint at or before `nanos` supersedes: the next cutoff is later.
    while (!checkpoints.isEmpty()) {
      long[] first = checkpoints.pollFirst();
      long[] second = checkpoints.peekFirst();
      if (second == null || second[0] - nanos > 0) {
        checkpoints.addFirst(first);
        break;
      }
    }
    long[] first = checkpoints.peekFirst();
    return first != null && first[0] - nanos <= 0 ? first[1] : 0;
  }

  private void checkpoint(long handedOutBelow) {
    long now = nanoClock.getAsLong();
    long[] last = checkpoints.peekLast();
    if (stepOpen && last != null && now - stepStartNanos < checkpointNanos) {
      // Same step: move the step's checkpoint to this take (a later time covers more ids).
      last[0] = now;
      last[1] = handedOutBelow;
      return;
    }
    if (checkpoints.size() == MAX_CHECKPOINTS) {
      checkpoints.pollFirst();
    }
    stepStartNanos = now;
    stepOpen = true;
    checkpoints.addLast(new long[] {now, handedOutBelow});
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

  /**
   * Forgets the current range: called when leadership changes.
   *
   * @param reservedBelow every id below it was reserved by a leader before: counted as handed out
   *     now
   */
  public synchronized void reset(long reservedBelow) {
    generation++;
    next = 0;
    end = 0;
    pending = null;
    checkpoints.clear();
    stepOpen = false;
    checkpoints.addLast(new long[] {nanoClock.getAsLong(), reservedBelow});
  }
}
