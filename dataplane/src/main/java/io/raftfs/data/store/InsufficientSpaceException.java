package io.raftfs.data.store;

/** Storing the block would eat into the disk reserve or pass the configured capacity. */
public final class InsufficientSpaceException extends Exception {
  private static final long serialVersionUID = 1L;

  public InsufficientSpaceException(String message) {
    super(message);
  }
}
