package io.raftfs.client.meta;

import io.raftfs.proto.ErrorCode;

/** A file was expected but a directory was found. */
public final class IsADirectoryException extends MetaException {
  public IsADirectoryException(String message) {
    super(ErrorCode.IS_A_DIRECTORY, message);
  }
}
