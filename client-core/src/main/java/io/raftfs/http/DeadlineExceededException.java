package io.raftfs.http;

import java.net.SocketTimeoutException;

/**
 * An answer that did not arrive whole by its exchange's deadline, though bytes may have kept
 * coming: a node that trickles them is given up like a silent one. A {@link
 * SocketTimeoutException}, so the request is not sent again.
 */
public final class DeadlineExceededException extends SocketTimeoutException {
  private static final long serialVersionUID = 1L;

  DeadlineExceededException() {
    super("answer not complete by its deadline");
  }
}
