package io.raftfs.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.raftfs.data.testing.DataNodeFixture;
import io.raftfs.meta.testing.MiniMetaCluster;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Raft leader stops in the middle of a put: block placement and the commit wait for the new
 * leader, the data keeps flowing, and the file is complete.
 */
class TransfersSurviveLeaderChangeTest {
  private static final long BLOCK = 1 << 20;
  private static final long LENGTH = 40 * BLOCK + 5;

  @TempDir Path dir;

  @Test
  void aPutDuringWhichTheLeaderStopsCompletesAndReadsBackIntact() throws Exception {
    MiniMetaCluster masters = MiniMetaCluster.start(dir.resolve("masters"));
    Vertx vertx = Vertx.vertx();
    try (masters;
        DataNodeFixture nodes =
            DataNodeFixture.start(
                vertx,
                dir.resolve("data"),
                3,
                node ->
                    node.masters(masters.httpAddresses())
                        .reserveBytes(0)
                        .heartbeatInterval(Duration.ofMillis(200)));
        FileSystemClient client = new FileSystemClient(masters.httpAddresses())) {
      int firstLeader = masters.awaitLeader();
      client.mkdir("/ready", false);
      Path original = TestFiles.random(dir.resolve("original"), LENGTH, 5);
      StopAfter listener = new StopAfter(LENGTH / 4, () -> masters.stop(firstLeader));

      client.put(original, "/through-failover", new PutOptions(3, BLOCK, false), listener);

      listener.done.get(30, TimeUnit.SECONDS);
      assertNotEquals(firstLeader, masters.awaitLeader());
      Path copy = dir.resolve("copy");
      client.get("/through-failover", copy, false, TransferListener.NONE);
      assertEquals(TestFiles.sha256(original), TestFiles.sha256(copy));
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  /** Runs {@code action} once {@code threshold} bytes have been sent, off the transfer thread. */
  private static final class StopAfter implements TransferListener {
    private final long threshold;
    private final Runnable action;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicBoolean started = new AtomicBoolean();
    final CompletableFuture<Void> done = new CompletableFuture<>();

    StopAfter(long threshold, Runnable action) {
      this.threshold = threshold;
      this.action = action;
    }

    @Override
    public void started(long totalBytes) {}

    @Override
    public void transferred(long bytes) {
      if (sent.addAndGet(bytes) >= threshold && started.compareAndSet(false, true)) {
        CompletableFuture.runAsync(action).whenComplete((ok, e) -> done.complete(null));
      }
    }
  }
}
