package io.raftfs.client.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.http.ScriptedServer;
import io.raftfs.proto.ErrorCode;
import io.raftfs.proto.FileStatus;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaRequestList;
import io.raftfs.proto.MetaResponse;
import io.raftfs.proto.MetaResponseList;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client's transport against scripted masters: concurrent calls share exchanges made by the
 * callers' own threads, a follower's hint is followed, a caller can give up. Attempts may take 30
 * s, so a call left without a sender would show as a timed-out test, not as a slow one.
 */
@Timeout(20)
class MetaClientTest {
  private static final MetaClientOptions PATIENT =
      new MetaClientOptions(Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofMillis(100));

  /** Calls that fail within 2 s; an attempt may take 1 s. */
  private static final MetaClientOptions QUICK =
      new MetaClientOptions(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMillis(100));

  /** How much later than its deadline a call may end on a loaded machine. */
  private static final long SLACK_MILLIS = 1000;

  @Test
  void concurrentCallsShareExchangesAndEachGetsItsOwnAnswer() throws Exception {
    int threads = 16;
    int callsEach = 20;
    try (ScriptedServer master = new ScriptedServer(answer(MetaClientTest::statOf, 5), false);
        MetaClient client = new MetaClient(List.of(master.address()), PATIENT)) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int thread = t;
          done.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < callsEach; i++) {
                      String path = "/t" + thread + "/f" + i;
                      assertEquals(path, client.stat(path).getPath());
                    }
                    return null;
                  }));
        }
        for (Future<?> future : done) {
          future.get();
        }
      } finally {
        pool.shutdownNow();
      }
      int exchanges = master.requests().size();
      assertTrue(
          exchanges < threads * callsEach / 2,
          exchanges + " exchanges for " + threads * callsEach + " calls");
      assertTrue(master.connections() <= 4, master.connections() + " connections: over 4 at once");
    }
  }

  @Test
  void aFollowersHintLeadsTheCallToTheLeader() throws Exception {
    try (ScriptedServer leader = new ScriptedServer(answer(MetaClientTest::statOf, 0), false)) {
      MetaResponse notLeader =
          MetaResponse.newBuilder()
              .setError(ErrorCode.NOT_LEADER)
              .setLeaderHint(leader.address())
              .build();
      try (ScriptedServer follower = new ScriptedServer(answer(r -> notLeader, 0), false);
          MetaClient client =
              new MetaClient(List.of(follower.address(), leader.address()), PATIENT)) {
        assertEquals("/a", client.stat("/a").getPath());
        assertEquals("/b", client.stat("/b").getPath());
        assertEquals(1, follower.requests().size(), "the second call went to the leader at once");
        assertEquals(2, leader.requests().size());
      }
    }
  }

  @Test
  void aHintNamingNoConfiguredMasterIsIgnored() throws Exception {
    try (ScriptedServer leader = new ScriptedServer(answer(MetaClientTest::statOf, 0), false);
        ScriptedServer stranger = new ScriptedServer(answer(MetaClientTest::statOf, 0), false)) {
      MetaResponse notLeader =
          MetaResponse.newBuilder()
              .setError(ErrorCode.NOT_LEADER)
              .setLeaderHint(stranger.address())
              .build();
      try (ScriptedServer follower = new ScriptedServer(answer(r -> notLeader, 0), false);
          MetaClient client =
              new MetaClient(List.of(follower.address(), leader.address()), PATIENT)) {
        assertEquals("/a", client.stat("/a").getPath());
        assertEquals(0, stranger.requests().size(), "a call went where no master was configured");
        assertEquals(1, leader.requests().size(), "the client went on to the next master");
      }
    }
  }

  /**
   * The defect of issue 18: a chunk size of -1 threw past the release of the exchange's slot and
   * stranded the other calls of its batch; four such exchanges hung the client for good.
   */
  @Test
  void callsAnsweredWithABadChunkSizeFailByTheirDeadlineAndTheClientRecovers() throws Exception {
    AtomicBoolean healthy = new AtomicBoolean();
    Function<ScriptedServer.Request, String> good = answer(MetaClientTest::statOf, 0);
    String badChunk = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n";
    int callers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try (ScriptedServer master =
            new ScriptedServer(r -> healthy.get() ? good.apply(r) : badChunk, false);
        MetaClient client = new MetaClient(List.of(master.address()), QUICK)) {
      String expected =
          "no leader among " + master.address() + " (" + master.address() + ": bad chunk size: -1)";
      List<Future<Long>> calls = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        String path = "/f" + i;
        calls.add(
            pool.submit(
                () -> {
                  long start = System.nanoTime();
                  MastersUnavailableException e =
                      assertThrows(MastersUnavailableException.class, () -> client.stat(path));
                  assertEquals(expected, e.getMessage());
                  return (System.nanoTime() - start) / 1_000_000;
                }));
      }
      long deadline = QUICK.callDeadline().toMillis();
      for (Future<Long> call : calls) {
        long millis = call.get(deadline + 5 * SLACK_MILLIS, TimeUnit.MILLISECONDS);
        assertTrue(millis < deadline + SLACK_MILLIS, millis + " ms for a call of " + deadline);
      }
      healthy.set(true);
      assertEquals("/after", client.stat("/after").getPath());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aMasterTricklingItsAnswerCannotHoldACallPastItsDeadline() throws Exception {
    ScriptedServer.Responder trickle =
        (request, out) -> {
          out.write("HTTP/1.1 200 OK\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
          for (int i = 0; i < 8000; i++) { // a byte every 50 ms: never silent for an attempt
            out.write('x');
            out.flush();
            Thread.sleep(50);
          }
        };
    try (ScriptedServer master = new ScriptedServer(trickle, false);
        MetaClient client = new MetaClient(List.of(master.address()), QUICK)) {
      long start = System.nanoTime();
      MastersUnavailableException e =
          assertThrows(MastersUnavailableException.class, () -> client.stat("/slow"));
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertEquals(
          "no leader among "
              + master.address()
              + " ("
              + master.address()
              + ": answer not complete by its deadline)",
          e.getMessage());
      long deadline = QUICK.callDeadline().toMillis();
      assertTrue(millis < deadline + SLACK_MILLIS, millis + " ms for a call of " + deadline);
    }
  }

  @Test
  void anAnswerLongerThanTheCapIsRefusedUnread() throws Exception {
    // Announces 300 MB and sends none: waiting for it would take the whole 30 s attempt.
    String huge = "HTTP/1.1 200 OK\r\nContent-Length: 300000000\r\n\r\n";
    MetaClientOptions patientAttempts = PATIENT.withCallDeadline(Duration.ofSeconds(1));
    try (ScriptedServer master = new ScriptedServer(r -> huge, false);
        MetaClient client = new MetaClient(List.of(master.address()), patientAttempts)) {
      MastersUnavailableException e =
          assertThrows(MastersUnavailableException.class, () -> client.stat("/big"));
      assertEquals(
          "no leader among "
              + master.address()
              + " ("
              + master.address()
              + ": answer body of 300000000 bytes is over the cap of 268435456 bytes)",
          e.getMessage());
    }
  }

  @Test
  void aCallerInterruptedWhileTheMasterIsSilentGivesUp() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    try (ScriptedServer silent =
            new ScriptedServer(
                r -> {
                  await(never);
                  return "";
                },
                false);
        MetaClient client = new MetaClient(List.of(silent.address()), PATIENT)) {
      AtomicReference<Thread> caller = new AtomicReference<>();
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try {
        Future<RuntimeException> failure =
            pool.submit(
                () -> {
                  caller.set(Thread.currentThread());
                  return assertThrows(RuntimeException.class, () -> client.stat("/x"));
                });
        while (silent.requests().isEmpty()) {
          Thread.onSpinWait(); // the request reached the master
        }
        caller.get().interrupt();
        RuntimeException e = failure.get(10, TimeUnit.SECONDS);
        assertTrue(e instanceof MastersUnavailableException, e::toString);
        assertTrue(e.getMessage().contains("interrupted"), e::getMessage);
      } finally {
        never.countDown();
        pool.shutdownNow();
      }
    }
  }

  @Test
  void aMalformedMasterAddressFailsAtOnce() {
    try (MetaClient client = new MetaClient(List.of("no-port"), PATIENT)) {
      MastersUnavailableException e =
          assertThrows(MastersUnavailableException.class, () -> client.stat("/"));
      assertTrue(e.getMessage().contains("bad master address no-port"), e::getMessage);
    }
  }

  private static MetaResponse statOf(MetaRequest request) {
    return MetaResponse.newBuilder()
        .setError(ErrorCode.OK)
        .setStatus(FileStatus.newBuilder().setPath(request.getStat().getPath()))
        .build();
  }

  /** A master answering each request of a list with {@code each}, after {@code delayMillis}. */
  private static Function<ScriptedServer.Request, String> answer(
      Function<MetaRequest, MetaResponse> each, long delayMillis) {
    return request -> {
      try {
        if (delayMillis > 0) {
          Thread.sleep(delayMillis); // a master busy with a log entry: lets calls pile up
        }
        MetaResponseList.Builder answers = MetaResponseList.newBuilder();
        MetaRequestList.parseFrom(request.body()).getRequestsList().stream()
            .map(each)
            .forEach(answers::addResponses);
        byte[] body = answers.build().toByteArray();
        return "HTTP/1.1 200 OK\r\nContent-Length: "
            + body.length
            + "\r\n\r\n"
            + new String(body, StandardCharsets.ISO_8859_1);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    };
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
