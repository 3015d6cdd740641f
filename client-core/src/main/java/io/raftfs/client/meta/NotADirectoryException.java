package io.raftfs.client.meta;

import io.raftfs.proto.ErrorCode;

/** A directory was expected but a file was found. */
public final class NotADirectoryException extends MetaException {
  public NotADirectoryException(String message) {
    super(ErrorCode.NOT_A_DIRECTORY, message);
  }
}
