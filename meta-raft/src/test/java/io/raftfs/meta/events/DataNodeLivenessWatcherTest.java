package io.raftfs.meta.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.raftfs.meta.datanodes.DataNodeTracker;
import io.raftfs.proto.ClusterEvent;
import io.raftfs.proto.Heartbeat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DataNodeLivenessWatcherTest {
  private final AtomicLong nanos = new AtomicLong();
  private final DataNodeTracker tracker = new DataNodeTracker(nanos::get, 1_000, 600_000);
  private final ClusterEventLog events = new ClusterEventLog("m1", () -> 0, 100);
  private final DataNodeLivenessWatcher watcher = new DataNodeLivenessWatcher(tracker, events);

  private void heartbeat(String node) {
    tracker.heartbeat(Heartbeat.newBuilder().setNodeId(node).build());
  }

  private List<String> messages() {
    return events.snapshot().stream().map(ClusterEvent::getMessage).toList();
  }

  @Test
  void reportsEachTransitionOnceFirstSeenDeadAndBack() {
    heartbeat("dn-a");
    watcher.check();
    watcher.check();
    assertEquals(List.of("data node dn-a is alive"), messages());

    nanos.addAndGet(2_000_000_000L);
    watcher.check();
    watcher.check();
    assertEquals("data node dn-a is dead (no heartbeat for 2000 ms)", messages().get(1));
    assertEquals(2, messages().size());

    heartbeat("dn-a");
    watcher.check();
    assertEquals(
        List.of(
            ClusterEventLog.DATANODE_ALIVE,
            ClusterEventLog.DATANODE_DEAD,
            ClusterEventLog.DATANODE_ALIVE),
        events.snapshot().stream().map(ClusterEvent::getKind).toList());
    assertEquals("data node dn-a is back", messages().get(2));
  }

  @Test
  void nodesNeverHeardFromAreNotReported() {
    watcher.check();
    assertEquals(List.of(), messages());
  }
}
