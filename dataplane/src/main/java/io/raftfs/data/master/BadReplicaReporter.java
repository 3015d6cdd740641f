package io.raftfs.data.master;

/**
 * Tells the masters that a replica on this node failed its checksum, so the leader stops offering
 * it, copies the block from a good replica and then has the bad one deleted. Blocking: callers run
 * it on a worker thread.
 */
@FunctionalInterface
public interface BadReplicaReporter {
  /**
   * @throws RuntimeException when no master took the report; the caller tries again later
   */
  void reportBadReplica(long blockId, String nodeId);
}
