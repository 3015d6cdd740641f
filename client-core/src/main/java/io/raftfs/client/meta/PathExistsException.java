package io.raftfs.client.meta;

import io.raftfs.proto.ErrorCode;

/** The path exists and the call would not replace it. */
public final class PathExistsException extends MetaException {
  public PathExistsException(String message) {
    super(ErrorCode.ALREADY_EXISTS, message);
  }
}
