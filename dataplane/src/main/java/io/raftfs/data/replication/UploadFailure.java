package io.raftfs.data.replication;

/**
 * Why an upload stored nothing, as the HTTP status to answer and, for a broken chain, the node the
 * client should avoid.
 */
public final class UploadFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String failedNode;

  public UploadFailure(int status, String message) {
    this(status, message, null);
  }

  public UploadFailure(int status, String message, String failedNode) {
    super(message, null, false, false);
    this.status = status;
    this.failedNode = failedNode;
  }

  public int status() {
    return status;
  }

  /** host:port of the failed downstream node, or null. */
  public String failedNode() {
    return failedNode;
  }
}
