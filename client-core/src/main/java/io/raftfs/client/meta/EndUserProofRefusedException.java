package io.raftfs.client.meta;

import io.raftfs.proto.ErrorCode;

/**
 * The masters refused the end user's S3 signature a gateway forwarded ({@code
 * MetaRequest.end_user}): a wrong or unknown key, a stale proof or expired presigned URL, or an
 * exchange not signed by a superuser. The S3 gateway answers it as {@code SignatureDoesNotMatch},
 * {@code InvalidAccessKeyId} or {@code AccessDenied} (expired). Nothing was done.
 */
public final class EndUserProofRefusedException extends MetaException {
  public EndUserProofRefusedException(String message) {
    super(ErrorCode.END_USER_PROOF_REFUSED, message);
  }
}
