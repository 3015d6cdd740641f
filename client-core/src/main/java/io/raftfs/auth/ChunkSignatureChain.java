package io.raftfs.auth;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.SortedMap;

/**
 * The signatures of an {@code aws-chunked} upload ({@code x-amz-content-sha256:
 * STREAMING-AWS4-HMAC-SHA256-PAYLOAD}, and {@code ...-TRAILER}): each chunk's signature signs the
 * SHA-256 of its data and the signature before it, starting from the request's own (the seed), and
 * the trailer's signs the trailer headers after the last (empty) chunk. So a chunk cannot be
 * changed, dropped, reordered or moved to another upload without the signing key. Signer (tests)
 * and verifier (the S3 gateway) compute the same chain.
 *
 * <pre>{@code
 * ChunkSignatureChain chain = new ChunkSignatureChain(key, timestamp, scope, seedSignature);
 * String first = chain.next(sha256(chunk1));     // ...; chain.next(sha256(empty)) for the last
 * String trailer = chain.trailer(Map.of("x-amz-checksum-crc32", "..."));
 * }</pre>
 *
 * Not thread-safe: one per upload.
 */
public final class ChunkSignatureChain {
  private static final String CHUNK_ALGORITHM = "AWS4-HMAC-SHA256-PAYLOAD";
  private static final String TRAILER_ALGORITHM = "AWS4-HMAC-SHA256-TRAILER";
  private static final String EMPTY_SHA256 = SigV4.sha256Hex(new byte[0]);

  private final byte[] signingKey;
  private final String timestamp;
  private final String credentialScope;
  private String previous;

  /**
   * @param signingKey the derived SigV4 key of the request's scope
   * @param timestamp the request's {@code X-Amz-Date}
   * @param credentialScope {@code date/region/s3/aws4_request}
   * @param seedSignature the request's own signature (of its {@code Authorization} header)
   */
  public ChunkSignatureChain(
      byte[] signingKey, String timestamp, String credentialScope, String seedSignature) {
    this.signingKey = signingKey.clone();
    this.timestamp = timestamp;
    this.credentialScope = credentialScope;
    this.previous = seedSignature;
  }

  /** The signature of the next chunk, whose data has the SHA-256 {@code dataSha256}. */
  public String next(byte[] dataSha256) {
    return advance(CHUNK_ALGORITHM, EMPTY_SHA256 + '\n' + HexFormat.of().formatHex(dataSha256));
  }

  /**
   * The signature of the trailer headers (lower-case names, without {@code
   * x-amz-trailer-signature}), after the last chunk's.
   */
  public String trailer(SortedMap<String, String> trailers) {
    StringBuilder canonical = new StringBuilder();
    trailers.forEach(
        (name, value) -> canonical.append(name).append(':').append(value).append('\n'));
    return advance(
        TRAILER_ALGORITHM, SigV4.sha256Hex(canonical.toString().getBytes(StandardCharsets.UTF_8)));
  }

  private String advance(String algorithm, String hashes) {
    String stringToSign =
        algorithm + '\n' + timestamp + '\n' + credentialScope + '\n' + previous + '\n' + hashes;
    previous = SigV4.signature(signingKey, stringToSign);
    return previous;
  }
}
