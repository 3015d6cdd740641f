package io.raftfs.client.meta;

import io.raftfs.proto.ErrorCode;

/** An argument other than a path is out of range or malformed. */
public final class InvalidArgumentException extends MetaException {
  public InvalidArgumentException(String message) {
    super(ErrorCode.INVALID_ARGUMENT, message);
  }
}
