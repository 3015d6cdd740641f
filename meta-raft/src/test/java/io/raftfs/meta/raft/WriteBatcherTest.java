package io.raftfs.meta.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.proto.ErrorCode;
import io.raftfs.proto.LoggedWrite;
import io.raftfs.proto.MetaBatch;
import io.raftfs.proto.MetaBatchResult;
import io.raftfs.proto.MetaResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The batching logic alone, with the log replaced by futures the test completes by hand. */
class WriteBatcherTest {
  private final List<MetaBatch> sent = new ArrayList<>();
  private final List<CompletableFuture<MetaBatchResult>> commits = new ArrayList<>();

  private CompletableFuture<MetaBatchResult> commit(MetaBatch batch) {
    CompletableFuture<MetaBatchResult> done = new CompletableFuture<>();
    synchronized (this) {
      sent.add(batch);
      commits.add(done);
    }
    return done;
  }

  private static LoggedWrite request(long call) {
    return LoggedWrite.newBuilder().setClientId("c").setCallId(call).build();
  }

  private static MetaBatchResult echo(MetaBatch batch) {
    MetaBatchResult.Builder result = MetaBatchResult.newBuilder();
    batch
        .getRequestsList()
        .forEach(
            r ->
                result.addResponses(MetaResponse.newBuilder().setMessage("call " + r.getCallId())));
    return result.build();
  }

  @Test
  void requestsArrivingWhileTheLogIsBusyLeaveTogetherInOneEntry() {
    WriteBatcher batcher = new WriteBatcher(this::commit, () -> 42L, 100, 1, 1, failure -> null);
    CompletableFuture<MetaResponse> first = batcher.submit(request(1));
    List<CompletableFuture<MetaResponse>> waiting = new ArrayList<>();
    for (int call = 2; call <= 6; call++) {
      waiting.add(batcher.submit(request(call)));
    }
    assertEquals(1, sent.size(), "one entry in flight at a time");

    commits.get(0).complete(echo(sent.get(0)));
    assertEquals("call 1", first.join().getMessage());
    assertEquals(2, sent.size());
    assertEquals(5, sent.get(1).getRequestsCount(), "the five waiting requests share one entry");
    assertEquals(42L, sent.get(1).getTimestampMillis());

    commits.get(1).complete(echo(sent.get(1)));
    for (int i = 0; i < waiting.size(); i++) {
      assertEquals(
          "call " + (i + 2), waiting.get(i).join().getMessage(), "each gets its own answer");
    }
  }

  @Test
  void aSecondEntryOverlapsTheFirstOnlyOnceEnoughRequestsWait() {
    WriteBatcher batcher = new WriteBatcher(this::commit, () -> 0L, 100, 2, 3, failure -> null);
    batcher.submit(request(1));
    batcher.submit(request(2));
    batcher.submit(request(3));
    assertEquals(1, sent.size(), "two waiting requests are not worth a second entry");

    batcher.submit(request(4));
    assertEquals(2, sent.size(), "three are");
    assertEquals(3, sent.get(1).getRequestsCount());

    batcher.submit(request(5));
    commits.get(0).complete(echo(sent.get(0)));
    assertEquals(2, sent.size(), "one request waits while an entry is still in flight");
    commits.get(1).complete(echo(sent.get(1)));
    assertEquals(3, sent.size(), "and leaves as soon as none is");
    assertEquals(1, sent.get(2).getRequestsCount());
  }

  @Test
  void batchesAreCappedAndAFailedEntryAnswersEachOfItsRequests() {
    MetaResponse unavailable = MetaResponse.newBuilder().setError(ErrorCode.UNAVAILABLE).build();
    WriteBatcher batcher =
        new WriteBatcher(this::commit, () -> 0L, 2, 1, 1, failure -> unavailable);
    List<CompletableFuture<MetaResponse>> responses = new ArrayList<>();
    for (int call = 1; call <= 5; call++) {
      responses.add(batcher.submit(request(call)));
    }
    commits.get(0).completeExceptionally(new IllegalStateException("lost leadership"));
    assertEquals(2, sent.get(1).getRequestsCount());
    commits.get(1).complete(echo(sent.get(1)));
    assertEquals(2, sent.get(2).getRequestsCount());
    commits.get(2).complete(echo(sent.get(2)));

    assertEquals(ErrorCode.UNAVAILABLE, responses.get(0).join().getError());
    assertEquals("call 2", responses.get(1).join().getMessage());
    assertEquals("call 3", responses.get(2).join().getMessage());
    assertEquals("call 5", responses.get(4).join().getMessage());
  }

  @Test
  void entriesAreCappedByBytesAndAnOversizedWriteIsRefusedAtOnce() {
    int oneRequest = request(10).getSerializedSize();
    WriteBatcher batcher =
        new WriteBatcher(this::commit, () -> 0L, 100, 1, 1, 3 * oneRequest, 100, failure -> null);
    for (int call = 10; call <= 16; call++) {
      batcher.submit(request(call));
    }
    commits.get(0).complete(echo(sent.get(0)));
    assertEquals(3, sent.get(1).getRequestsCount(), "three requests fill the bytes of an entry");
    commits.get(1).complete(echo(sent.get(1)));
    assertEquals(3, sent.get(2).getRequestsCount());

    LoggedWrite huge =
        LoggedWrite.newBuilder().setClientId("c".repeat(4 * oneRequest)).setCallId(99).build();
    MetaResponse refused = batcher.submit(huge).join();
    assertEquals(ErrorCode.INVALID_ARGUMENT, refused.getError());
    assertEquals(3, sent.size(), "never sent");
  }

  @Test
  void aFullQueueAnswersBusyAndTakesRequestsAgainOnceItDrains() {
    WriteBatcher batcher =
        new WriteBatcher(this::commit, () -> 0L, 100, 1, 1, 1 << 20, 2, failure -> null);
    batcher.submit(request(1)); // in flight
    batcher.submit(request(2));
    batcher.submit(request(3));
    MetaResponse busy = batcher.submit(request(4)).join();
    assertEquals(ErrorCode.UNAVAILABLE, busy.getError());
    assertTrue(busy.getMessage().startsWith("busy"), busy.getMessage());

    commits.get(0).complete(echo(sent.get(0)));
    CompletableFuture<MetaResponse> accepted = batcher.submit(request(5));
    commits.get(1).complete(echo(sent.get(1)));
    commits.get(2).complete(echo(sent.get(2)));
    assertEquals("call 5", accepted.join().getMessage());
  }
}
