package io.raftfs.data.store;

/** The block is already stored, or an upload of it is in progress. */
public final class BlockExistsException extends Exception {
  private static final long serialVersionUID = 1L;

  public BlockExistsException(String message) {
    super(message);
  }
}
