package io.raftfs.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fault sequence after which a run once saw 12.5 s without a completed operation: kill -9 of
 * the leader, its restart 5 s later, an orderly restart of another master 10 s after that; once
 * with the new leader restarted, once with the other follower. Four workers run all along. It
 * prints the longest stretch without a completed operation after each fault.
 */
class FailoverSequenceTest {

  @Test
  void clientsGetThroughALeaderKillFollowedByRestarts() throws Exception {
    Path dir =
        Path.of("target", "chaos", "sequence-" + System.currentTimeMillis()).toAbsolutePath();
    History history = new History();
    try (ChaosCluster cluster = ChaosCluster.start(dir, 4, null)) {
      List<Worker> workers = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Worker worker = new Worker(i, 22, history, cluster.masterAddresses(), cluster.rootKey());
        workers.add(worker);
        threads.add(new Thread(worker, "worker-" + i));
      }
      threads.forEach(Thread::start);
      Nemesis nemesis = new Nemesis(cluster, history, 22, false, 4000);
      long from = history.now();
      Nemesis.pause(5000, () -> false);
      for (boolean newLeader : new boolean[] {true, false}) {
        nemesis.killLeaderThenRestartAnother(newLeader);
        Nemesis.pause(10_000, () -> false);
      }
      long to = history.now();
      workers.forEach(Worker::stop);
      for (Thread thread : threads) {
        thread.join(60_000);
      }
      nemesis.stop();
      Stretches stretches = new Stretches(history.ops(), from, to);
      List<History.Fault> faults = history.faults();
      faults.sort(Comparator.comparingLong(History.Fault::startNanos));
      for (History.Fault fault : faults) {
        System.out.printf(
            "sequence: %s: longest stretch without a completed operation %d ms%n",
            fault, stretches.longestNanos(fault.startNanos(), fault.endNanos()) / 1_000_000);
      }
      for (Op op : history.ops()) {
        if (op.endNanos() - op.startNanos() > 2_000_000_000L) {
          System.out.println("sequence: slow " + op);
        }
      }
      assertEquals(List.of(), history.violations());
    }
  }
}
