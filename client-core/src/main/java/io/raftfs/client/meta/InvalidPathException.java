package io.raftfs.client.meta;

import io.raftfs.proto.ErrorCode;

/** The path is not absolute, has empty, dot or dot-dot segments, a NUL, or is too long. */
public final class InvalidPathException extends MetaException {
  public InvalidPathException(String message) {
    super(ErrorCode.INVALID_PATH, message);
  }
}
