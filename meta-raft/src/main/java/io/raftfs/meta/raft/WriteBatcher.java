package io.raftfs.meta.raft;

import io.raftfs.proto.ErrorCode;
import io.raftfs.proto.LoggedWrite;
import io.raftfs.proto.MetaBatch;
import io.raftfs.proto.MetaBatchResult;
import io.raftfs.proto.MetaResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Group commit at the Raft level: concurrent write requests are packed into one log entry, so one
 * replicated fsync serves them all. While a batch is being committed, new requests queue up and
 * leave together in the next batch, so batches grow with load on their own. A further batch may
 * overlap the ones in flight (up to {@code maxInFlight}) only once {@code overlapMinRequests} are
 * queued: a trickle of requests then fills one entry per round instead of one entry each.
 *
 * <p>Bounded: an entry holds at most {@code maxBatchBytes} of requests (one larger request is
 * refused at once: Ratis may never replicate an entry above its appender's limit), and at most
 * {@code maxQueued} requests wait; past that a request is answered {@code UNAVAILABLE} ("busy"),
 * which clients retry after a pause.
 *
 * <pre>{@code
 * WriteBatcher batcher =
 *     new WriteBatcher(gateway::submit, System::currentTimeMillis, 1000, 2, 8, errors);
 * batcher.submit(request).thenAccept(response -> reply(response));
 * }</pre>
 */
public final class WriteBatcher {
  static final int MAX_BATCH_BYTES = 4 << 20;
  static final int MAX_QUEUED = 64 * 1024;

  private final Function<MetaBatch, CompletableFuture<MetaBatchResult>> commit;
  private final LongSupplier wallClockMillis;
  private final int maxRequests;
  private final int maxInFlight;
  private final int overlapMinRequests;
  private final int maxBatchBytes;
  private final int maxQueued;
  private final Function<Throwable, MetaResponse> failureResponse;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private int inFlight;

  private record Pending(
      LoggedWrite request, CompletableFuture<MetaResponse> response, int bytes) {}

  /**
   * @param commit appends a batch to the log and completes with its per-request results
   * @param wallClockMillis the leader's clock, written into each batch for mtimes and expiry
   * @param failureResponse what every request of a batch that failed to commit is answered
   */
  public WriteBatcher(
      Function<MetaBatch, CompletableFuture<MetaBatchResult>> commit,
      LongSupplier wallClockMillis,
      int maxRequests,
      int maxInFlight,
      int overlapMinRequests,
      Function<Throwable, MetaResponse> failureResponse) {
    this(
        commit,
        wallClockMillis,
        maxRequests,
        maxInFlight,
        overlapMinRequests,
        MAX_BATCH_BYTES,
        MAX_QUEUED,
        failureResponse);
  }

  WriteBatcher(
      Function<MetaBatch, CompletableFuture<MetaBatchResult>> commit,
      LongSupplier wallClockMillis,
      int maxRequests,
      int maxInFlight,
      int overlapMinRequests,
      int maxBatchBytes,
      int maxQueued,
      Function<Throwable, MetaResponse> failureResponse) {
    this.maxBatchBytes = maxBatchBytes;
    this.maxQueued = maxQueued;
    this.commit = commit;
    this.wallClockMillis = wallClockMillis;
    this.maxRequests = maxRequests;
    this.maxInFlight = maxInFlight;
    this.overlapMinRequests = overlapMinRequests;
    this.failureResponse = failureResponse;
  }

  public CompletableFuture<MetaResponse> submit(LoggedWrite request) {
    int bytes = request.getSerializedSize();
    if (bytes > maxBatchBytes) {
      return CompletableFuture.completedFuture(
          refusal(
              ErrorCode.INVALID_ARGUMENT,
              "a write of "
                  + bytes
                  + " bytes is larger than a log entry may be ("
                  + maxBatchBytes
                  + ")"));
    }
    CompletableFuture<MetaResponse> response = new CompletableFuture<>();
    synchronized (this) {
      if (queue.size() >= maxQueued) {
        return CompletableFuture.completedFuture(
            refusal(ErrorCode.UNAVAILABLE, "busy: " + queue.size() + " writes queued; retry"));
      }
      queue.add(new Pending(request, response, bytes));
    }
    drain();
    return response;
  }

  private static MetaResponse refusal(ErrorCode code, String message) {
    return MetaResponse.newBuilder().setError(code).setMessage(message).build();
  }

  private void drain() {
    while (true) {
      List<Pending> batch;
      synchronized (this) {
        if (inFlight >= maxInFlight
            || queue.isEmpty()
            || (inFlight > 0 && queue.size() < overlapMinRequests)) {
          return;
        }
        batch = new ArrayList<>(Math.min(queue.size(), maxRequests));
        long bytes = 0;
        while (!queue.isEmpty()
            && batch.size() < maxRequests
            && (batch.isEmpty() || bytes + queue.peek().bytes() <= maxBatchBytes)) {
          Pending next = queue.poll();
          bytes += next.bytes();
          batch.add(next);
        }
        inFlight++;
      }
      send(batch);
    }
  }

  private void send(List<Pending> batch) {
    MetaBatch.Builder entry =
        MetaBatch.newBuilder().setTimestampMillis(wallClockMillis.getAsLong());
    batch.forEach(pending -> entry.addRequests(pending.request()));
    commit
        .apply(entry.build())
        .whenComplete(
            (result, failure) -> {
              synchronized (this) {
                inFlight--;
              }
              for (int i = 0; i < batch.size(); i++) {
                batch
                    .get(i)
                    .response()
                    .complete(
                        failure == null ? result.getResponses(i) : failureResponse.apply(failure));
              }
              drain();
            });
  }
}
