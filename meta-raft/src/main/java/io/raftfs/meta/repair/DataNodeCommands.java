package io.raftfs.meta.repair;

import io.raftfs.proto.DataNodeCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Commands the leader has for each data node, handed out in the node's next heartbeat reply. */
public final class DataNodeCommands {
  private final Map<String, Queue<DataNodeCommand>> queues = new ConcurrentHashMap<>();

  public void add(String nodeId, DataNodeCommand command) {
    queues.computeIfAbsent(nodeId, id -> new ConcurrentLinkedQueue<>()).add(command);
  }

  public List<DataNodeCommand> drain(String nodeId) {
    Queue<DataNodeCommand> queue = queues.get(nodeId);
    List<DataNodeCommand> drained = new ArrayList<>();
    if (queue != null) {
      for (DataNodeCommand command = queue.poll(); command != null; command = queue.poll()) {
        drained.add(command);
      }
    }
    return drained;
  }

  /** Drops everything: a master that lost leadership must not send stale orders. */
  public void clear() {
    queues.clear();
  }
}
