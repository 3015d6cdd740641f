package io.raftfs.s3.auth;

import io.raftfs.auth.EndUserProofVerifier;
import io.raftfs.auth.S3StringToSign;
import io.raftfs.proto.EndUserProof;
import io.raftfs.s3.S3Exception;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A presigned URL: SigV4 in the query ({@code X-Amz-Algorithm}, {@code X-Amz-Credential}, {@code
 * X-Amz-Date}, {@code X-Amz-Expires}, {@code X-Amz-SignedHeaders}, {@code X-Amz-Signature}) over
 * the canonical request whose query is everything but the signature, with an unsigned payload. The
 * proof carries that canonical request whole, so the masters, not the gateway, read the URL's
 * validity from what was signed and refuse it once expired (docs/s3.md).
 */
final class PresignedUrl {
  private static final String ERROR = "AuthorizationQueryParametersError";
  private static final String SIGNATURE_PARAMETER = "X-Amz-Signature";
  private static final Pattern EXPIRES = Pattern.compile("[0-9]{1,7}");

  private PresignedUrl() {}

  /** True if the query carries a SigV4 signature (it names {@code X-Amz-Algorithm}). */
  static boolean isPresigned(String rawQuery) {
    return rawQuery.startsWith("X-Amz-Algorithm=") || rawQuery.contains("&X-Amz-Algorithm=");
  }

  static S3Signature of(
      String method,
      String decodedPath,
      String rawQuery,
      Function<String, List<String>> headers,
      String region) {
    Map<String, String> parameters = new HashMap<>();
    StringJoiner signedQuery = new StringJoiner("&");
    for (String part : rawQuery.split("&")) {
      if (part.isEmpty()) {
        continue;
      }
      int equals = part.indexOf('=');
      String name = decode(equals < 0 ? part : part.substring(0, equals));
      if (name.startsWith("X-Amz-")
          && parameters.put(name, decode(equals < 0 ? "" : part.substring(equals + 1))) != null) {
        throw malformed("the query names " + name + " twice");
      }
      if (!name.equals(SIGNATURE_PARAMETER)) {
        signedQuery.add(part);
      }
    }
    if (!S3Signature.ALGORITHM.equals(parameters.get("X-Amz-Algorithm"))) {
      throw malformed("only " + S3Signature.ALGORITHM + " presigned URLs are accepted");
    }
    String credential = required(parameters, "X-Amz-Credential");
    String timestamp = required(parameters, "X-Amz-Date");
    String expires = required(parameters, "X-Amz-Expires");
    String signedHeaders = required(parameters, "X-Amz-SignedHeaders");
    String signature = required(parameters, SIGNATURE_PARAMETER);
    String[] scope = S3Signature.scope(credential, region, ERROR);
    if (!S3Signature.DATE.matcher(timestamp).matches()) {
      throw malformed("X-Amz-Date is not yyyyMMddTHHmmssZ");
    }
    if (expires.startsWith("-") && EXPIRES.matcher(expires.substring(1)).matches()) {
      // A negative validity (boto3 makes one for a negative ExpiresIn) ended before it began.
      throw new S3Exception(403, "AccessDenied", "Request has expired");
    }
    if (!EXPIRES.matcher(expires).matches()
        || Long.parseLong(expires) < 1
        || Long.parseLong(expires) > EndUserProofVerifier.MAX_EXPIRES_SECONDS) {
      throw malformed(
          "X-Amz-Expires must be 1 to " + EndUserProofVerifier.MAX_EXPIRES_SECONDS + " seconds");
    }
    if (!S3Signature.SIGNATURE.matcher(signature).matches()) {
      throw malformed("the signature is not 64 hex digits");
    }
    TreeMap<String, String> signed = S3Signature.signedHeaders(signedHeaders, headers, ERROR);
    String payloadHash = "UNSIGNED-PAYLOAD";
    String canonical =
        S3StringToSign.canonicalRequest(
            method, decodedPath, signedQuery.toString(), signed, payloadHash);
    String credentialScope = scope[1] + '/' + scope[2] + "/s3/aws4_request";
    return new S3Signature(
        EndUserProof.newBuilder()
            .setAccessKeyId(scope[0])
            .setStringToSign(S3StringToSign.of(timestamp, credentialScope, canonical))
            .setSignature(signature)
            .setPresignedCanonicalRequest(canonical)
            .build(),
        payloadHash);
  }

  private static String required(Map<String, String> parameters, String name) {
    String value = parameters.get(name);
    if (value == null || value.isEmpty()) {
      throw malformed("the presigned URL has no " + name);
    }
    return value;
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw malformed("malformed percent-encoding in the query");
    }
  }

  private static S3Exception malformed(String message) {
    return new S3Exception(400, ERROR, message);
  }
}
