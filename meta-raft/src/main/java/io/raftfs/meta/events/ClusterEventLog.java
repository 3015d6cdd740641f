package io.raftfs.meta.events;

import io.raftfs.proto.ClusterEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last {@code capacity} events this master saw (leader changes, data nodes dying and coming
 * back, blocks repaired), for the cluster page. Each event is also logged as one line. Soft state:
 * a restarted master starts with an empty log.
 *
 * <pre>{@code
 * ClusterEventLog events = new ClusterEventLog("m1", System::currentTimeMillis, 200);
 * events.leaderChanged("m2", 7);
 * status.addAllEvents(events.snapshot());
 * }</pre>
 */
public final class ClusterEventLog {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterEventLog.class);

  public static final String LEADER_CHANGED = "LEADER_CHANGED";
  public static final String DATANODE_DEAD = "DATANODE_DEAD";
  public static final String DATANODE_ALIVE = "DATANODE_ALIVE";
  public static final String BLOCK_REPAIRED = "BLOCK_REPAIRED";

  private final String masterId;
  private final LongSupplier wallClockMillis;
  private final int capacity;
  private final ArrayDeque<ClusterEvent> events = new ArrayDeque<>();

  /**
   * @param masterId the recording master, written into every event
   * @param wallClockMillis the event times
   * @param capacity how many events are kept; older ones are dropped
   */
  public ClusterEventLog(String masterId, LongSupplier wallClockMillis, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
    }
    this.masterId = masterId;
    this.wallClockMillis = wallClockMillis;
    this.capacity = capacity;
  }

  /** {@code leaderId} is null or empty while the group has no known leader. */
  public void leaderChanged(String leaderId, long term) {
    String leader = leaderId == null ? "" : leaderId;
    String message =
        leader.isEmpty()
            ? "no leader (term " + term + ")"
            : leader + " is leader (term " + term + ")";
    LOG.info("event={} master={} leader={} term={}", LEADER_CHANGED, masterId, leader, term);
    add(event(LEADER_CHANGED, leader, message).setTerm(term));
  }

  public void dataNodeDead(String nodeId, long millisSinceHeartbeat) {
    LOG.warn(
        "event={} master={} node={} silentMs={}",
        DATANODE_DEAD,
        masterId,
        nodeId,
        millisSinceHeartbeat);
    add(
        event(
            DATANODE_DEAD,
            nodeId,
            "data node " + nodeId + " is dead (no heartbeat for " + millisSinceHeartbeat + " ms)"));
  }

  /** {@code back}: it had been dead; otherwise this master sees it for the first time. */
  public void dataNodeAlive(String nodeId, boolean back) {
    LOG.info("event={} master={} node={} back={}", DATANODE_ALIVE, masterId, nodeId, back);
    add(event(DATANODE_ALIVE, nodeId, "data node " + nodeId + (back ? " is back" : " is alive")));
  }

  /** A new replica of {@code blockId} was confirmed on {@code nodeId} by its block report. */
  public void blockRepaired(long blockId, String nodeId) {
    LOG.info("event={} master={} block={} node={}", BLOCK_REPAIRED, masterId, blockId, nodeId);
    add(
        event(BLOCK_REPAIRED, nodeId, "block " + blockId + " copied to " + nodeId)
            .setBlockId(blockId));
  }

  /** The kept events, oldest first. */
  public synchronized List<ClusterEvent> snapshot() {
    return new ArrayList<>(events);
  }

  private ClusterEvent.Builder event(String kind, String nodeId, String message) {
    return ClusterEvent.newBuilder()
        .setTimeMillis(wallClockMillis.getAsLong())
        .setKind(kind)
        .setMasterId(masterId)
        .setNodeId(nodeId)
        .setMessage(message);
  }

  private synchronized void add(ClusterEvent.Builder event) {
    if (events.size() == capacity) {
      events.removeFirst();
    }
    events.addLast(event.build());
  }
}
