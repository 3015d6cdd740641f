package io.raftfs.client.transfer;

import java.io.IOException;

/**
 * Block data could not be moved: every replica of a block failed on read, or a block could not be
 * stored after all placement attempts. The message names the file and the block.
 */
public class BlockTransferException extends IOException {
  public BlockTransferException(String message, Throwable cause) {
    super(message, cause);
  }
}
