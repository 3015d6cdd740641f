package io.raftfs.client.meta;

import io.raftfs.proto.ErrorCode;

/**
 * A commit named blocks the masters gave up on: uploaded longer ago than their orphan grace period
 * ({@code raftfs.master.orphan.grace.ms}) and never committed, or of a deleted file. Nothing was
 * committed and those replicas are being deleted; uploading the file again with new blocks can
 * succeed. {@link io.raftfs.client.FileSystemClient#put} does so itself when it can read the source
 * again.
 */
public final class BlocksRetiredException extends MetaException {
  public BlocksRetiredException(String message) {
    super(ErrorCode.BLOCKS_RETIRED, message);
  }
}
