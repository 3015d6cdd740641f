package io.raftfs.meta.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.proto.BlockIdRange;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class BlockIdPoolTest {
  private final List<CompletableFuture<BlockIdRange>> reservations = new ArrayList<>();
  private final List<Long> reservedCounts = new ArrayList<>();
  private final BlockIdPool pool =
      new BlockIdPool(
          count -> {
            reservedCounts.add(count);
            CompletableFuture<BlockIdRange> range = new CompletableFuture<>();
            reservations.add(range);
            return range;
          },
          10);

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

    pool.reset();
    CompletableFuture<Long> afterReset = pool.take(1);
    assertEquals(2, reservations.size(), "a new leader reserves its own range");
    reservations.get(1).completeExceptionally(new IllegalStateException("no quorum"));
    assertTrue(afterReset.isCompletedExceptionally());
  }
}
