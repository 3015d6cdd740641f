package io.raftfs.meta.events;

import io.raftfs.meta.datanodes.DataNodeTracker;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns the data-node tracker's liveness into events: call {@link #check()} periodically and every
 * change since the last call (first seen alive, dead, back) becomes one event. Nodes this master
 * has never heard from are not reported.
 */
public final class DataNodeLivenessWatcher {
  private final DataNodeTracker tracker;
  private final ClusterEventLog events;
  private final Map<String, Boolean> lastSeenAlive = new HashMap<>();

  public DataNodeLivenessWatcher(DataNodeTracker tracker, ClusterEventLog events) {
    this.tracker = tracker;
    this.events = events;
  }

  public synchronized void check() {
    for (DataNodeTracker.NodeState node : tracker.allNodes()) {
      if (node.heartbeat() == null) {
        continue;
      }
      boolean alive = tracker.isAlive(node.nodeId);
      Boolean before = lastSeenAlive.put(node.nodeId, alive);
      if (before == null) {
        if (alive) {
          events.dataNodeAlive(node.nodeId, false);
        } else {
          events.dataNodeDead(node.nodeId, tracker.millisSinceHeartbeat(node));
        }
      } else if (before && !alive) {
        events.dataNodeDead(node.nodeId, tracker.millisSinceHeartbeat(node));
      } else if (!before && alive) {
        events.dataNodeAlive(node.nodeId, true);
      }
    }
  }
}
