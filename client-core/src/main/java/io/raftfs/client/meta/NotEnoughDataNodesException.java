package io.raftfs.client.meta;

import io.raftfs.proto.ErrorCode;

/** Fewer live data nodes with free space than the replication asks for. */
public final class NotEnoughDataNodesException extends MetaException {
  public NotEnoughDataNodesException(String message) {
    super(ErrorCode.NOT_ENOUGH_DATA_NODES, message);
  }
}
