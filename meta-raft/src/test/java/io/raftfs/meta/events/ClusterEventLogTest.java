package io.raftfs.meta.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.raftfs.proto.ClusterEvent;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ClusterEventLogTest {
  private final AtomicLong now = new AtomicLong(1_000);

  @Test
  void keepsOnlyTheNewestEventsOldestFirst() {
    ClusterEventLog log = new ClusterEventLog("m1", now::get, 3);
    for (int i = 1; i <= 5; i++) {
      now.set(i);
      log.blockRepaired(i, "dn-" + i);
    }
    List<ClusterEvent> events = log.snapshot();
    assertEquals(List.of(3L, 4L, 5L), events.stream().map(ClusterEvent::getBlockId).toList());
    assertEquals(List.of(3L, 4L, 5L), events.stream().map(ClusterEvent::getTimeMillis).toList());
  }

  @Test
  void eventsCarryKindMasterNodeTermAndAMessage() {
    ClusterEventLog log = new ClusterEventLog("m2", now::get, 10);
    log.leaderChanged("m3", 7);
    log.leaderChanged(null, 8);
    log.dataNodeDead("dn-a", 10_500);
    log.dataNodeAlive("dn-a", true);
    List<ClusterEvent> events = log.snapshot();
    assertEquals(ClusterEventLog.LEADER_CHANGED, events.get(0).getKind());
    assertEquals("m2", events.get(0).getMasterId());
    assertEquals("m3", events.get(0).getNodeId());
    assertEquals(7, events.get(0).getTerm());
    assertEquals("m3 is leader (term 7)", events.get(0).getMessage());
    assertEquals("no leader (term 8)", events.get(1).getMessage());
    assertEquals(ClusterEventLog.DATANODE_DEAD, events.get(2).getKind());
    assertEquals("data node dn-a is back", events.get(3).getMessage());
    assertEquals(1_000, events.get(3).getTimeMillis());
  }

  @Test
  void capacityMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new ClusterEventLog("m1", now::get, 0));
  }
}
