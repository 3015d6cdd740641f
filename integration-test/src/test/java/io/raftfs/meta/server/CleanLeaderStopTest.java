package io.raftfs.meta.server;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.client.meta.MetaClient;
import io.raftfs.testing.cluster.ClusterProcess;
import io.raftfs.testing.cluster.MasterGroup;
import io.raftfs.testing.cluster.MiniRaftfsCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM of the leader's JVM: it hands leadership to a follower before it stops, so a client
 * writing all along waits far less than an election after a crash would make it.
 */
class CleanLeaderStopTest {
  /**
   * Generous: the handover itself takes a few hundred milliseconds on an idle machine, 0.6-1.3 s at
   * a load of 20-30 on 2 cores, where a crash of the leader left clients waiting 1-25 s.
   */
  private static final Duration GAP_BOUND = Duration.ofSeconds(5);

  private static final Pattern HANDED_OVER =
      Pattern.compile("handed leadership over to (m[0-9]+) in [0-9]+ ms");

  @TempDir Path dir;

  @Test
  void aLeaderStoppedCleanlyHandsLeadershipToAFollowerFirst() throws Exception {
    try (MasterGroup masters =
            MiniRaftfsCluster.builder().separateJvms().build().start(dir).masters();
        MetaClient client = masters.newClient()) {
      client.mkdir("/loop", true);
      int leader = masters.awaitLeader();
      ClusterProcess stopped = masters.processes().get(leader);

      Writer writer = new Writer(client);
      CompletableFuture<Void> writes = CompletableFuture.runAsync(writer::run);
      writer.awaitWrites(20);
      long stopStart = System.nanoTime();
      masters.stop(leader);
      long stopEnd = System.nanoTime();
      int writtenAtStop = writer.count();
      writer.awaitWrites(writtenAtStop + 20);
      writer.running.set(false);
      writes.get(60, TimeUnit.SECONDS);

      String log = Files.readString(stopped.dir().resolveSibling(stopped.name() + ".log"));
      Matcher handedOver = HANDED_OVER.matcher(log);
      assertTrue(handedOver.find(), stopped.name() + " logged no handover:\n" + tail(log));
      assertNotEquals(stopped.name(), handedOver.group(1), "the master it handed over to");
      assertNotEquals(leader, masters.awaitLeader(), "the leader after the stop");
      long gap = writer.longestGapAround(stopStart, stopEnd);
      System.out.printf(
          "clean stop of leader %s: handed to %s, stop took %d ms, longest wait for a write %d"
              + " ms%n",
          stopped.name(), handedOver.group(1), (stopEnd - stopStart) / 1_000_000, gap / 1_000_000);
      assertTrue(
          gap < GAP_BOUND.toNanos(),
          "longest wait for a write while the leader stopped: " + gap / 1_000_000 + " ms");
    }
  }

  /** The lines that tell who led when: elections won, leader changes, the handover. */
  private static String tail(String log) {
    return log.lines()
        .filter(line -> line.contains("LEADER") || line.contains("stopping"))
        .reduce("", (all, line) -> all + line + "\n");
  }

  /** Writes directories one after another and notes when each was acknowledged. */
  private static final class Writer {
    final MetaClient client;
    final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Long> acknowledged = new ArrayList<>();

    Writer(MetaClient client) {
      this.client = client;
    }

    void run() {
      for (int i = 0; running.get(); i++) {
        client.mkdir("/loop/d" + i, false);
        synchronized (this) {
          acknowledged.add(System.nanoTime());
          notifyAll();
        }
      }
    }

    synchronized int count() {
      return acknowledged.size();
    }

    synchronized void awaitWrites(int count) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (acknowledged.size() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("only " + acknowledged.size() + " of " + count + " writes");
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }

    /**
     * The longest time between two acknowledged writes, over the last acknowledgement before the
     * stop began until the first one after it ended.
     */
    synchronized long longestGapAround(long from, long to) {
      long longest = 0;
      for (int i = 1; i < acknowledged.size(); i++) {
        long previous = acknowledged.get(i - 1);
        long next = acknowledged.get(i);
        if (next >= from && previous <= to) {
          longest = Math.max(longest, next - previous);
        }
      }
      return longest;
    }
  }
}
