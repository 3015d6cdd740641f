package io.raftfs.meta.placement;

import io.raftfs.meta.datanodes.DataNodeTracker;
import io.raftfs.meta.datanodes.DataNodeTracker.NodeState;
import io.raftfs.proto.DataNodeAddress;
import io.raftfs.proto.Heartbeat;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Chooses the data nodes for a new block: distinct, alive, registered, with room for the block,
 * least loaded first (transfers in progress plus blocks placed since the last heartbeat), then
 * least full. Ties are broken at random so equal nodes share the load. The first node is the head
 * of the write chain.
 */
public final class BlockPlacement {
  private final DataNodeTracker tracker;
  private final Predicate<String> registered;
  private final RandomGenerator random;

  public BlockPlacement(
      DataNodeTracker tracker, Predicate<String> registered, RandomGenerator random) {
    this.tracker = tracker;
    this.registered = registered;
    this.random = random;
  }

  /** The chosen nodes, or empty when fewer than {@code replication} qualify. */
  public Optional<List<DataNodeAddress>> choose(
      int replication, long blockSize, Collection<String> excluded) {
    record Candidate(NodeState node, int load, double fullness, int tieBreak) {}
    List<Candidate> candidates = new ArrayList<>();
    for (NodeState node : tracker.liveNodes()) {
      Heartbeat heartbeat = node.heartbeat();
      int recent = tracker.recentAllocations(node);
      long pendingBytes = (long) recent * blockSize;
      if (excluded.contains(node.nodeId)
          || !registered.test(node.nodeId)
          || heartbeat.getFreeBytes() - pendingBytes < blockSize) {
        continue;
      }
      double fullness =
          heartbeat.getCapacityBytes() == 0
              ? 1.0
              : (double) heartbeat.getUsedBytes() / heartbeat.getCapacityBytes();
      candidates.add(
          new Candidate(node, heartbeat.getActiveTransfers() + recent, fullness, random.nextInt()));
    }
    if (candidates.size() < replication) {
      return Optional.empty();
    }
    candidates.sort(
        Comparator.comparingInt(Candidate::load)
            .thenComparingDouble(Candidate::fullness)
            .thenComparingInt(Candidate::tieBreak));
    List<DataNodeAddress> chosen = new ArrayList<>(replication);
    for (int i = 0; i < replication; i++) {
      NodeState node = candidates.get(i).node();
      chosen.add(
          DataNodeAddress.newBuilder()
              .setNodeId(node.nodeId)
              .setHttpAddress(node.heartbeat().getHttpAddress())
              .build());
    }
    return Optional.of(chosen);
  }

  /** How many nodes could take a block of this size now: for error messages. */
  public int eligibleCount(long blockSize, Collection<String> excluded) {
    int count = 0;
    for (NodeState node : tracker.liveNodes()) {
      if (!excluded.contains(node.nodeId)
          && registered.test(node.nodeId)
          && node.heartbeat().getFreeBytes() >= blockSize) {
        count++;
      }
    }
    return count;
  }
}
