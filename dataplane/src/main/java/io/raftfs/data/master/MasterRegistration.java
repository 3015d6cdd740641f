package io.raftfs.data.master;

/**
 * Registers this data node with the masters (a logged metadata write). Blocking: the data node
 * calls it on a worker thread, and again whenever a master says it does not know the node.
 */
@FunctionalInterface
public interface MasterRegistration {
  /**
   * @throws RuntimeException when no master accepted the registration; it is retried later
   */
  void register(String nodeId, String httpAddress, long capacityBytes);
}
