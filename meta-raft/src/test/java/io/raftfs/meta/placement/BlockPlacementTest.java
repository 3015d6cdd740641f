package io.raftfs.meta.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.meta.datanodes.DataNodeTracker;
import io.raftfs.proto.DataNodeAddress;
import io.raftfs.proto.Heartbeat;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BlockPlacementTest {
  private static final long MB = 1 << 20;
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final DataNodeTracker tracker = new DataNodeTracker(nanos::get, 10_000, 600_000);
  private final BlockPlacement placement =
      new BlockPlacement(tracker, id -> !id.equals("unregistered"), new SplittableRandom(7));

  private void heartbeat(String id, long freeBytes, int transfers) {
    tracker.heartbeat(
        Heartbeat.newBuilder()
            .setNodeId(id)
            .setHttpAddress(id + ":80")
            .setCapacityBytes(1000 * MB)
            .setUsedBytes(1000 * MB - freeBytes)
            .setFreeBytes(freeBytes)
            .setActiveTransfers(transfers)
            .build());
  }

  private List<String> chosen(int replication, long blockSize, Set<String> excluded) {
    return placement.choose(replication, blockSize, excluded).orElseThrow().stream()
        .map(DataNodeAddress::getNodeId)
        .toList();
  }

  @Test
  void choosesDistinctLiveNodesLeastLoadedFirst() {
    heartbeat("busy", 500 * MB, 5);
    heartbeat("idle", 500 * MB, 0);
    heartbeat("some", 500 * MB, 1);
    assertEquals(List.of("idle", "some", "busy"), chosen(3, MB, Set.of()));
  }

  @Test
  void skipsDeadFullExcludedAndUnregisteredNodes() {
    heartbeat("old", 500 * MB, 0);
    nanos.addAndGet(11_000_000_000L);
    heartbeat("full", MB / 2, 0);
    heartbeat("excluded", 500 * MB, 0);
    heartbeat("unregistered", 500 * MB, 0);
    heartbeat("good", 500 * MB, 0);
    assertEquals(List.of("good"), chosen(1, MB, Set.of("excluded")));
    assertTrue(placement.choose(2, MB, Set.of("excluded")).isEmpty());
    assertEquals(1, placement.eligibleCount(MB, Set.of("excluded")));
  }

  @Test
  void placementsSinceTheLastHeartbeatCountAsLoad() {
    heartbeat("a", 500 * MB, 0);
    heartbeat("b", 500 * MB, 0);
    String first = chosen(1, MB, Set.of()).get(0);
    tracker.placed(1, List.of(first));
    String second = chosen(1, MB, Set.of()).get(0);
    assertTrue(!first.equals(second), "the second block goes to the other node");
  }

  @Test
  void placedBlocksAreFoundAtOnceAndLiveReplicasComeFirst() {
    heartbeat("a", 500 * MB, 0);
    heartbeat("b", 500 * MB, 0);
    tracker.placed(9, List.of("a", "b"));
    nanos.addAndGet(6_000_000_000L);
    heartbeat("b", 500 * MB, 0);
    nanos.addAndGet(6_000_000_000L);
    // a is now silent for 12 s (dead), b for 6 s (alive)
    assertEquals(
        List.of("b", "a"), tracker.replicasOf(9).stream().map(DataNodeAddress::getNodeId).toList());
  }
}
