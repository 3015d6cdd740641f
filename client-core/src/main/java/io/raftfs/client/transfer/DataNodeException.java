package io.raftfs.client.transfer;

import java.io.IOException;

/**
 * A data node refused or broke a block transfer. {@link #blamedNode()} is the {@code host:port} at
 * fault (the node itself when it cannot be reached, the {@code failedNode} of a {@code 502}), so
 * the writer can ask for a placement without it.
 */
public class DataNodeException extends IOException {
  private final int status;
  private final String blamedNode;

  DataNodeException(String message, int status, String blamedNode, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.blamedNode = blamedNode;
  }

  /** The HTTP status, or 0 when no answer came. */
  public int status() {
    return status;
  }

  /** The node to avoid next time, or null when no node is to blame (e.g. a bad request). */
  public String blamedNode() {
    return blamedNode;
  }

  /**
   * True when the node refused the request's block token (401, or 403 saying "block token"): it may
   * have expired, or the node not yet learned a new key. A fresh token (new placement or locations)
   * may pass; the node is not to blame.
   */
  public boolean tokenRefused() {
    return status == 401 || (status == 403 && getMessage().contains("block token"));
  }
}
