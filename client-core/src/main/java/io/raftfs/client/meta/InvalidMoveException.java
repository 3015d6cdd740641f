package io.raftfs.client.meta;

import io.raftfs.proto.ErrorCode;

/** A rename would move a directory into itself or one of its descendants. */
public final class InvalidMoveException extends MetaException {
  public InvalidMoveException(String message) {
    super(ErrorCode.INVALID_MOVE, message);
  }
}
