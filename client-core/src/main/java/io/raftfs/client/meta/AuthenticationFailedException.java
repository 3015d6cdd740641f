package io.raftfs.client.meta;

import io.raftfs.proto.ErrorCode;

/**
 * The masters refused the client's signature: no credentials, an unknown key, a wrong secret or a
 * clock too far from the masters'. Retrying does not help, so it is not retried.
 */
public final class AuthenticationFailedException extends MetaException {
  public AuthenticationFailedException(String message) {
    super(ErrorCode.UNAUTHENTICATED, message);
  }
}
