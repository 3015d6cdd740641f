package io.raftfs.s3.body;

import io.raftfs.s3.S3Exception;
import java.io.IOException;

/**
 * A request body that must not be stored (malformed, or not matching its length, hash or checksum),
 * thrown from the body stream so that the upload fails before its commit.
 */
public final class BodyRejectedException extends IOException {
  private final S3Exception answer;

  public BodyRejectedException(S3Exception answer) {
    super(answer.getMessage());
    this.answer = answer;
  }

  /** The S3 error to answer with. */
  public S3Exception answer() {
    return answer;
  }

  /** The rejection somewhere in {@code failure}'s causes, or null. */
  public static BodyRejectedException in(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof BodyRejectedException rejected) {
        return rejected;
      }
    }
    return null;
  }
}
