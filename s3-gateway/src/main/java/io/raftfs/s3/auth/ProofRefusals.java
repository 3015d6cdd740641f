package io.raftfs.s3.auth;

import io.raftfs.auth.EndUserProofVerifier;
import io.raftfs.client.meta.EndUserProofRefusedException;
import io.raftfs.s3.S3Exception;

/** The S3 error for a proof the masters refused ({@code END_USER_PROOF_REFUSED}). */
public final class ProofRefusals {
  private ProofRefusals() {}

  /**
   * {@code InvalidAccessKeyId} for an unknown key, {@code AccessDenied} "Request has expired" for a
   * presigned URL past its window (as S3 answers), {@code SignatureDoesNotMatch} otherwise.
   */
  public static S3Exception answer(EndUserProofRefusedException refused) {
    String message = refused.getMessage();
    if (message.startsWith("unknown access key")) {
      return new S3Exception(403, "InvalidAccessKeyId", message);
    }
    if (message.startsWith(EndUserProofVerifier.EXPIRED)) {
      return new S3Exception(403, "AccessDenied", message);
    }
    return new S3Exception(403, "SignatureDoesNotMatch", message);
  }
}
