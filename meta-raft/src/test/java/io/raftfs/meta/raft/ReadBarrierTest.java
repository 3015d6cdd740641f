package io.raftfs.meta.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ReadBarrierTest {
  private final List<CompletableFuture<Void>> barriers = new ArrayList<>();
  private final ReadBarrier readBarrier =
      new ReadBarrier(
          () -> {
            CompletableFuture<Void> barrier = new CompletableFuture<>();
            barriers.add(barrier);
            return barrier;
          });

  @Test
  void readsArrivingDuringABarrierWaitForTheNextOneAndShareIt() {
    CompletableFuture<Void> first = readBarrier.await();
    CompletableFuture<Void> second = readBarrier.await();
    CompletableFuture<Void> third = readBarrier.await();
    assertEquals(1, barriers.size());

    barriers.get(0).complete(null);
    assertTrue(first.isDone());
    // These arrived after the first barrier was sent: its read index may not cover them.
    assertFalse(second.isDone());
    assertFalse(third.isDone());
    assertEquals(2, barriers.size(), "one barrier serves both waiting reads");

    barriers.get(1).complete(null);
    assertTrue(second.isDone() && third.isDone());
  }

  @Test
  void aFailedBarrierFailsItsReadsAndTheNextReadSendsANewOne() {
    CompletableFuture<Void> read = readBarrier.await();
    barriers.get(0).completeExceptionally(new IllegalStateException("not leader"));
    assertTrue(read.isCompletedExceptionally());

    CompletableFuture<Void> next = readBarrier.await();
    assertEquals(2, barriers.size());
    barriers.get(1).complete(null);
    assertTrue(next.isDone() && !next.isCompletedExceptionally());
  }
}
