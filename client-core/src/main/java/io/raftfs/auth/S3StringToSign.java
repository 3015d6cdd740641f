package io.raftfs.auth;

import java.util.SortedMap;
import java.util.StringJoiner;

/**
 * Rebuilds the SigV4 string to sign of an S3 request, as the S3 gateway must before the masters can
 * check the client's signature ({@link EndUserProofVerifier}). S3 signs the path encoded once (each
 * segment percent-encoded, {@code /} kept), unlike other AWS services.
 */
public final class S3StringToSign {
  private S3StringToSign() {}

  /**
   * @param decodedPath the request's path, percent-decoded
   * @param rawQuery the query as received (decoded and encoded again here), or ""
   * @param signedHeaders lower-case names of the signed headers and their values
   * @param payloadHash the {@code x-amz-content-sha256} value as sent (a hash or a keyword)
   * @param timestamp {@code X-Amz-Date}
   * @param credentialScope {@code date/region/s3/aws4_request}
   */
  public static String of(
      String method,
      String decodedPath,
      String rawQuery,
      SortedMap<String, String> signedHeaders,
      String payloadHash,
      String timestamp,
      String credentialScope) {
    return of(
        timestamp,
        credentialScope,
        canonicalRequest(method, decodedPath, rawQuery, signedHeaders, payloadHash));
  }

  /**
   * The canonical request: what a presigned URL's proof carries whole, so the masters can read the
   * URL's validity from it.
   */
  public static String canonicalRequest(
      String method,
      String decodedPath,
      String rawQuery,
      SortedMap<String, String> signedHeaders,
      String payloadHash) {
    StringJoiner uri = new StringJoiner("/");
    for (String segment : decodedPath.split("/", -1)) {
      uri.add(SigV4.encode(segment));
    }
    return SigV4.canonicalRequest(method, uri.toString(), rawQuery, signedHeaders, payloadHash);
  }

  /** The string to sign of a canonical request. */
  public static String of(String timestamp, String credentialScope, String canonicalRequest) {
    return SigV4.stringToSign(timestamp, credentialScope, canonicalRequest);
  }

  /** The lower-case hex signature of {@code stringToSign} under a derived signing key. */
  public static String sign(byte[] signingKey, String stringToSign) {
    return SigV4.signature(signingKey, stringToSign);
  }
}
