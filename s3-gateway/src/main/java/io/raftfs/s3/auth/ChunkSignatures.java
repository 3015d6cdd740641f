package io.raftfs.s3.auth;

import io.raftfs.auth.ChunkSignatureChain;
import io.raftfs.client.meta.MetaClient;

/**
 * Gets the chain that checks an upload's chunk signatures ({@code
 * STREAMING-AWS4-HMAC-SHA256-PAYLOAD} and {@code ...-TRAILER}). The key that made them is derived
 * from the user's secret, which only the masters hold: they answer the derived signing key of the
 * request's proof ({@code signing_key}, docs/security.md), good for one day, region and service.
 * Call it while acting for the request's user ({@link MetaClient#actingFor}).
 */
public final class ChunkSignatures {
  private static final String SIGNED_STREAMING = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";

  private final MetaClient meta;

  public ChunkSignatures(MetaClient meta) {
    this.meta = meta;
  }

  /**
   * The chain for the request's body, or null when it has no chunk signatures (not aws-chunked, or
   * {@code STREAMING-UNSIGNED-PAYLOAD-TRAILER}) or the masters check no signature (auth off).
   */
  public ChunkSignatureChain chainFor(S3Signature signature) {
    if (!signature.payloadHash().startsWith(SIGNED_STREAMING)) {
      return null;
    }
    byte[] key = meta.signingKey();
    if (key.length == 0) {
      return null;
    }
    return new ChunkSignatureChain(
        key, signature.timestamp(), signature.credentialScope(), signature.proof().getSignature());
  }
}
