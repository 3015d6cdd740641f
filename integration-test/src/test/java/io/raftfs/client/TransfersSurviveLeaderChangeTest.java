package io.raftfs.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.raftfs.testing.cluster.MasterGroup;
import io.raftfs.testing.cluster.MiniRaftfsCluster;
import java.nio.file.Path;
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
    try (MiniRaftfsCluster cluster =
            MiniRaftfsCluster.builder().dataNodes(3).build().start(dir.resolve("cluster"));
        FileSystemClient client = cluster.newClient()) {
      MasterGroup masters = cluster.masters();
      int firstLeader = masters.awaitLeader();
      Path original = TestFiles.random(dir.resolve("original"), LENGTH, 5);
      StopAfter listener = new StopAfter(LENGTH / 4, () -> masters.stop(firstLeader));

      client.put(original, "/through-failover", new PutOptions(3, BLOCK, false), listener);

      listener.done.get(30, TimeUnit.SECONDS);
      assertNotEquals(firstLeader, masters.awaitLeader());
      Path copy = dir.resolve("copy");
      client.get("/through-failover", copy, false, TransferListener.NONE);
      assertEquals(TestFiles.sha256(original), TestFiles.sha256(copy));
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
