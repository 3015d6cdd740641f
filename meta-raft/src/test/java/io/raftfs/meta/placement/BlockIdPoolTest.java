package io.raftfs.meta.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.proto.BlockIdRange;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BlockIdPoolTest {
  private final List<CompletableFuture<BlockIdRange>> reservations = new ArrayList<>();
  private final List<Long> reservedCounts = new ArrayList<>();
  private final AtomicLong nanos = new AtomicLong(1_000);
  private final BlockIdPool pool =
      new BlockIdPool(
          count -> {
            reservedCounts.add(count);
            CompletableFuture<BlockIdRange> range = new CompletableFuture<>();
            reservations.add(range);
            return range;
          },
          10,
          nanos::get,
          100);

  private static BlockIdRange range(long first, long count) {
    return BlockIdRange.newBuilder().setFirst(first).setCount(count).build();
  }

  @Test
  void servesIdsFromOneReservationUntilItRunsOut() {
    CompletableFuture<Long> a = pool.take(4);
    CompletableFuture<Long> b = pool.take(4);
    assertEquals(1, reservations.size(), "concurrent takers share one reservation");
    reservations.get(0).complete(range(100, 10));
    assertEquals(100L, a.join());
    assertEquals(104L, b.join());

    CompletableFuture<Long> c = pool.take(4);
    assertEquals(2, reservations.size(), "only two ids were left");
    reservations.get(1).complete(range(500, 10));
    assertEquals(500L, c.join());
  }

  @Test
  void aLargeRequestReservesEnoughAndALeaderChangeDropsTheRange() {
    CompletableFuture<Long> big = pool.take(25);
    assertEquals(List.of(25L), reservedCounts);
    reservations.get(0).complete(range(1, 25));
    assertEquals(1L, big.join());

    pool.reset(26);
    CompletableFuture<Long> afterReset = pool.take(1);
    assertEquals(2, reservations.size(), "a new leader reserves its own range");
    reservations.get(1).completeExceptionally(new IllegalStateException("no quorum"));
    assertTrue(afterReset.isCompletedExceptionally());
  }

  @Test
  void remembersRoughlyWhenIdsWentOutSoOldUploadsCanBeRetired() {
    assertEquals(0, pool.handedOutBefore(nanos.get()), "nothing handed out yet");
    pool.reset(50); // ids below 50 are a former leader's: out by now
    assertEquals(50, pool.handedOutBefore(nanos.get()));

    CompletableFuture<Long> first = pool.take(2);
    reservations.get(0).complete(range(50, 10));
    assertEquals(50L, first.join());
    long firstTaken = nanos.get();
    nanos.addAndGet(30);
    pool.take(1).join(); // same step: the step's checkpoint moves to now and id 53
    assertEquals(50, pool.handedOutBefore(firstTaken), "52 went out later than that");
    assertEquals(53, pool.handedOutBefore(nanos.get()));

    nanos.addAndGet(200);
    long before = nanos.get();
    pool.take(1).join(); // a new step
    assertEquals(53, pool.handedOutBefore(before - 1));
    assertEquals(54, pool.handedOutBefore(nanos.get()));
    assertEquals(54, pool.handedOutBefore(nanos.get() + 1_000_000), "never more than went out");
  }
}
