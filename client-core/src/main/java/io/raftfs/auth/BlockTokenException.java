package io.raftfs.auth;

/** A data node's refusal of a block request's token, with the HTTP status to answer (401, 403). */
public final class BlockTokenException extends Exception {
  private final int status;

  public BlockTokenException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
