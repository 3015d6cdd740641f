package io.raftfs.client.meta;

import io.raftfs.proto.ErrorCode;

/** The path does not exist. */
public final class PathNotFoundException extends MetaException {
  public PathNotFoundException(String message) {
    super(ErrorCode.NOT_FOUND, message);
  }
}
