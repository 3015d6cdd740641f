package io.raftfs.client.meta;

import io.raftfs.proto.ErrorCode;

/** No master answered as leader before the call's deadline; the call may be retried. */
public final class MastersUnavailableException extends MetaException {
  public MastersUnavailableException(String message) {
    super(ErrorCode.UNAVAILABLE, message);
  }
}
