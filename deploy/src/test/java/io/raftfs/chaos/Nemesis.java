package io.raftfs.chaos;

import io.raftfs.client.meta.MetaClient;
import io.raftfs.client.meta.MetaClientOptions;
import io.raftfs.proto.ClusterStatus;
import io.raftfs.proto.MasterStatus;
import io.raftfs.testing.cluster.ClusterProcess;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Injects faults while the workload runs: one thread for the masters, one for the data nodes, each
 * with at most one fault active at a time, so a majority of masters and at least one good replica
 * of every block always survive. Every fault is healed before the next one starts and is recorded
 * in the {@link History}.
 *
 * <p>Master faults: kill -9 of the leader or a follower (restarted a few seconds later, healed once
 * it rejoined), SIGSTOP of the leader or a follower (SIGCONT later), kill -9 of all three masters
 * at once, a kill -9 of the leader followed by an orderly restart of another master ({@link
 * #killLeaderThenRestartAnother}), and with network namespaces a partition of the leader or a
 * follower and a slow link. Data node faults: kill -9, SIGSTOP, a restart with a disk that is full
 * (tiny {@code capacity.bytes}), flipped bytes in block files (only ever on two chosen nodes: with
 * three replicas one stays good), and with namespaces a partition and a slow link.
 */
final class Nemesis {
  /** Tiny disk for the full-disk fault. */
  static final long FULL_DISK_CAPACITY = 64 * 1024;

  private final ChaosCluster cluster;
  private final History history;
  private final Random random;
  private final boolean network;
  private final MetaClient meta;
  private final List<ClusterProcess> corruptible;
  private final Map<String, Integer> counts = new TreeMap<>();
  private volatile boolean stopping;
  private final List<Thread> threads = new ArrayList<>();

  /** Least time without a fault between two faults of one thread. */
  private final long quietMillis;

  Nemesis(ChaosCluster cluster, History history, long seed, boolean network, long quietMillis) {
    this.quietMillis = quietMillis;
    this.cluster = cluster;
    this.history = history;
    this.random = new Random(seed * 31 + 7);
    this.network = network;
    this.meta =
        new MetaClient(
            cluster.masterAddresses(),
            new MetaClientOptions(
                Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofMillis(200)),
            cluster.rootKey());
    List<ClusterProcess> nodes = new ArrayList<>(cluster.dataNodes());
    java.util.Collections.shuffle(nodes, random);
    this.corruptible = List.copyOf(nodes.subList(0, 2));
  }

  void start() {
    threads.add(new Thread(this::masterFaults, "nemesis-masters"));
    threads.add(new Thread(this::dataNodeFaults, "nemesis-datanodes"));
    threads.forEach(Thread::start);
  }

  /** Stops injecting, heals the fault in progress and waits for both threads. */
  void stop() throws InterruptedException {
    stopping = true;
    for (Thread thread : threads) {
      thread.join();
    }
    meta.close();
  }

  synchronized Map<String, Integer> counts() {
    return new TreeMap<>(counts);
  }

  private synchronized void count(String kind) {
    counts.merge(kind, 1, Integer::sum);
  }

  private synchronized int nextInt(int bound) {
    return random.nextInt(bound);
  }

  private void masterFaults() {
    while (!stopping) {
      pause(quietMillis + nextInt((int) quietMillis));
      if (stopping) {
        return;
      }
      int dice = nextInt(network ? (slowLinks() ? 100 : 92) : 75);
      try {
        if (dice < 20) {
          killAndRestart("kill-leader", leader());
        } else if (dice < 35) {
          killAndRestart("kill-follower", follower());
        } else if (dice < 50) {
          stopAndContinue("pause-leader", leader());
        } else if (dice < 65) {
          stopAndContinue("pause-follower", follower());
        } else if (dice < 70) {
          crashAllMasters();
        } else if (dice < 75) {
          killLeaderThenRestartAnother(nextInt(2) == 0);
        } else if (dice < 85) {
          partition("partition-leader", leader());
        } else if (dice < 92) {
          partition("partition-follower", follower());
        } else {
          slowLink("slow-master", cluster.masters().get(nextInt(3)));
        }
      } catch (RuntimeException e) {
        System.out.println("chaos: nemesis (masters): " + e);
        count("injection failed");
      }
    }
  }

  private void dataNodeFaults() {
    while (!stopping) {
      pause(quietMillis + nextInt((int) quietMillis));
      if (stopping) {
        return;
      }
      List<ClusterProcess> nodes = cluster.dataNodes();
      ClusterProcess node = nodes.get(nextInt(nodes.size()));
      int dice = nextInt(network ? (slowLinks() ? 100 : 90) : 80);
      try {
        if (dice < 25) {
          killAndRestart("kill-datanode", node);
        } else if (dice < 40) {
          stopAndContinue("pause-datanode", node);
        } else if (dice < 60) {
          fullDisk(node);
        } else if (dice < 80) {
          corrupt(corruptible.get(nextInt(corruptible.size())));
        } else if (dice < 90) {
          partition("partition-datanode", node);
        } else {
          slowLink("slow-datanode", node);
        }
      } catch (IOException | RuntimeException e) {
        System.out.println("chaos: nemesis (data nodes): " + e);
        count("injection failed");
      }
    }
  }

  /** The leader node, or null when none is known within a few seconds. */
  private ClusterProcess leader() {
    try {
      String id = meta.clusterStatus().getLeaderId();
      return id.isEmpty() ? null : cluster.master(id);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private ClusterProcess follower() {
    ClusterProcess leader = leader();
    List<ClusterProcess> others = new ArrayList<>(cluster.masters());
    others.remove(leader);
    return others.get(nextInt(others.size()));
  }

  private long begin(String kind, String target) {
    long start = history.now();
    System.out.printf("chaos: %8.3fs fault %s %s%n", start / 1e9, kind, target);
    return start;
  }

  /** Counts a fault only once it was injected and healed. */
  private void end(String kind, String target, long start) {
    count(kind);
    history.fault(new History.Fault(kind, target, start, history.now()));
  }

  private void killAndRestart(String kind, ClusterProcess node) {
    if (node == null) {
      return;
    }
    long start = begin(kind, node.name());
    node.jvm().kill();
    pause(1000 + nextInt(6000));
    node.jvm().start();
    awaitMastersRejoined(node);
    end(kind, node.name(), start);
  }

  /**
   * Waits (up to 2 minutes) until every master is a leader or follower with all the leader
   * committed, as the leader sees it, after {@code node} was restarted; returns at once for a data
   * node. A master process that started is not yet a member that counts: on a loaded 2-core machine
   * a master JVM took 10-18 s to serve, and one more master stopped meanwhile leaves no majority.
   */
  private void awaitMastersRejoined(ClusterProcess node) {
    if (!node.isMaster()) {
      return;
    }
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (!stopping && System.nanoTime() < deadline) {
      try {
        ClusterStatus status = meta.clusterStatus();
        long committed =
            status.getMastersList().stream()
                .filter(master -> master.getId().equals(status.getLeaderId()))
                .mapToLong(MasterStatus::getCommitIndex)
                .findFirst()
                .orElse(Long.MAX_VALUE);
        if (status.getMastersList().stream()
            .allMatch(
                master ->
                    (master.getRole().equals("LEADER") || master.getRole().equals("FOLLOWER"))
                        && master.getAppliedIndex() >= committed)) {
          return;
        }
      } catch (RuntimeException e) {
        // No leader at the moment: ask again.
      }
      pause(200);
    }
  }

  /**
   * The sequence after which a fault run driven through the CLI once saw 12.5 s without a completed
   * operation: kill -9 of the leader, its restart 5 s later, and 10 s after that an orderly restart
   * (SIGTERM, then start) of another master, the new leader or the other follower. That run stopped
   * the second master while the first was still starting, which leaves no majority until it serves;
   * the orderly restart therefore waits, as {@code deploy/cluster restart} does, until the first
   * has rejoined.
   */
  void killLeaderThenRestartAnother(boolean newLeader) {
    ClusterProcess killed = leader();
    if (killed == null) {
      return;
    }
    long start = begin("kill-leader", killed.name());
    killed.jvm().kill();
    pause(5000);
    killed.jvm().start();
    end("kill-leader", killed.name(), start);
    pause(10_000);
    awaitMastersRejoined(killed);
    ClusterProcess leader = leader();
    for (int tries = 0; leader == null && tries < 5 && !stopping; tries++) {
      leader = leader(); // each try waits up to the client's deadline for a leader
    }
    ClusterProcess current = leader;
    ClusterProcess other =
        cluster.masters().stream()
            .filter(node -> node != killed && (node == current) == newLeader)
            .findFirst()
            .orElse(null);
    restartGracefully(newLeader ? "restart-leader" : "restart-follower", other);
  }

  /** SIGTERM (the master hands leadership over if it leads), then a start. */
  private void restartGracefully(String kind, ClusterProcess node) {
    if (node == null) {
      return;
    }
    long start = begin(kind, node.name());
    node.restartGracefully();
    awaitMastersRejoined(node);
    end(kind, node.name(), start);
  }

  private void stopAndContinue(String kind, ClusterProcess node) {
    if (node == null) {
      return;
    }
    long start = begin(kind, node.name());
    node.jvm().pause();
    pause(1000 + nextInt(7000));
    node.jvm().resume();
    end(kind, node.name(), start);
  }

  private void crashAllMasters() {
    long start = begin("crash-all-masters", "m1,m2,m3");
    for (ClusterProcess node : cluster.masters()) {
      node.jvm().kill();
    }
    pause(500 + nextInt(2000));
    for (ClusterProcess node : cluster.masters()) {
      node.jvm().start();
    }
    awaitMastersRejoined(cluster.masters().get(0));
    end("crash-all-masters", "m1,m2,m3", start);
  }

  private void partition(String kind, ClusterProcess node) {
    if (node == null || cluster.netns() == null) {
      return;
    }
    long start = begin(kind, node.name());
    cluster.netns().partition(node.name());
    try {
      pause(2000 + nextInt(8000));
    } finally {
      cluster.netns().heal(node.name());
    }
    end(kind, node.name(), start);
  }

  private boolean slowLinks() {
    return cluster.netns() != null && cluster.netns().canDelay();
  }

  private void slowLink(String kind, ClusterProcess node) {
    if (!slowLinks()) {
      return;
    }
    long start = begin(kind, node.name());
    cluster.netns().delay(node.name(), 100 + nextInt(400));
    try {
      pause(3000 + nextInt(7000));
    } finally {
      cluster.netns().undelay(node.name());
    }
    end(kind, node.name(), start);
  }

  /** Restarts the node with a disk that holds almost nothing, later with its real disk again. */
  private void fullDisk(ClusterProcess node) throws IOException {
    long start = begin("full-disk", node.name());
    cluster.setCapacity(node, FULL_DISK_CAPACITY);
    restartGracefully(node);
    pause(3000 + nextInt(8000));
    cluster.setCapacity(node, 0);
    restartGracefully(node);
    end("full-disk", node.name(), start);
  }

  private void restartGracefully(ClusterProcess node) {
    node.restartGracefully();
  }

  /** Flips one byte in each of a few block files or packs (of small blocks) of {@code node}. */
  private void corrupt(ClusterProcess node) throws IOException {
    List<Path> blocks = new java.util.ArrayList<>();
    for (String dir : List.of("blocks", "packs")) {
      Path root = node.dir().resolve(dir);
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(root)) {
        files
            .filter(file -> file.getFileName().toString().matches("blk_[0-9]+|pack-[0-9a-f]+"))
            .sorted()
            .forEach(blocks::add);
      } catch (java.io.UncheckedIOException e) {
        return; // a block vanished while we walked (deleted): try next time
      }
    }
    if (blocks.isEmpty()) {
      return;
    }
    long start = begin("corrupt-blocks", node.name());
    int flipped = 0;
    for (int i = 0; i < 3; i++) {
      Path block = blocks.get(nextInt(blocks.size()));
      try (RandomAccessFile file = new RandomAccessFile(block.toFile(), "rw")) {
        long length = file.length();
        if (length == 0) {
          continue;
        }
        long offset = (long) (nextInt(Integer.MAX_VALUE) % length);
        file.seek(offset);
        int b = file.read();
        file.seek(offset);
        file.write(b ^ 0xFF);
        flipped++;
      } catch (IOException e) {
        // deleted meanwhile
      }
    }
    end("corrupt-blocks", node.name() + " (" + flipped + " blocks)", start);
  }

  private void pause(long millis) {
    pause(millis, () -> stopping);
  }

  /** Waits {@code millis}, or less when {@code stopping} turns true (then: heal now). */
  static void pause(long millis, BooleanSupplier stopping) {
    long deadline = System.currentTimeMillis() + millis;
    while (true) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0 || stopping.getAsBoolean()) {
        return;
      }
      try {
        Thread.sleep(Math.min(left, 100));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
