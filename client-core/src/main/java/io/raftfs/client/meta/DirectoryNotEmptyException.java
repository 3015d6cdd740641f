package io.raftfs.client.meta;

import io.raftfs.proto.ErrorCode;

/** A non-recursive delete of a directory that has entries. */
public final class DirectoryNotEmptyException extends MetaException {
  public DirectoryNotEmptyException(String message) {
    super(ErrorCode.DIRECTORY_NOT_EMPTY, message);
  }
}
