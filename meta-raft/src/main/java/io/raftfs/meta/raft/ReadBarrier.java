package io.raftfs.meta.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Shares one linearizable read barrier among every read that arrived before it was sent. A read
 * waits for the next barrier to pass and may then be served from the leader's local state: the
 * barrier's read index covers every write committed before the read arrived. One barrier in flight
 * at a time, so under load thousands of reads share each round.
 */
public final class ReadBarrier {
  private final Supplier<CompletableFuture<Void>> barrier;
  private List<CompletableFuture<Void>> waiting = new ArrayList<>();
  private boolean inFlight;

  public ReadBarrier(Supplier<CompletableFuture<Void>> barrier) {
    this.barrier = barrier;
  }

  /** Completes after a barrier sent after this call has passed; fails if that barrier fails. */
  public CompletableFuture<Void> await() {
    CompletableFuture<Void> passed = new CompletableFuture<>();
    List<CompletableFuture<Void>> toRelease = null;
    synchronized (this) {
      waiting.add(passed);
      if (!inFlight) {
        inFlight = true;
        toRelease = waiting;
        waiting = new ArrayList<>();
      }
    }
    if (toRelease != null) {
      fire(toRelease);
    }
    return passed;
  }

  private void fire(List<CompletableFuture<Void>> readers) {
    barrier
        .get()
        .whenComplete(
            (ignored, failure) -> {
              for (CompletableFuture<Void> reader : readers) {
                if (failure == null) {
                  reader.complete(null);
                } else {
                  reader.completeExceptionally(failure);
                }
              }
              List<CompletableFuture<Void>> next;
              synchronized (this) {
                if (waiting.isEmpty()) {
                  inFlight = false;
                  return;
                }
                next = waiting;
                waiting = new ArrayList<>();
              }
              fire(next);
            });
  }
}
