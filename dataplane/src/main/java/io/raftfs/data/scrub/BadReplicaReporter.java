package io.raftfs.data.scrub;

/**
 * Where the scrubber sends a replica of this node that failed its checksum: the masters, so the
 * leader stops offering it, copies the block from a good replica and then has the bad one deleted.
 * Owned here, not by the code that talks to the masters, so scrubbing depends on nothing above the
 * store; the node wires the two together. Blocking: callers run it on a worker thread.
 */
@FunctionalInterface
public interface BadReplicaReporter {
  /**
   * @throws RuntimeException when no master took the report; the caller tries again later
   */
  void reportBadReplica(long blockId, String nodeId);
}
