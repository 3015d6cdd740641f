package io.raftfs.client.transfer;

/**
 * A data node sent bytes that fail their CRC32C: its replica is corrupt, and the masters should
 * hear of it so they copy a good one.
 */
public final class CorruptReplicaException extends DataNodeException {
  CorruptReplicaException(String message, String node) {
    super(message, 200, node, null);
  }
}
