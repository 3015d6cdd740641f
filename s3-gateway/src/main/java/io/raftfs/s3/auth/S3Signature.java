package io.raftfs.s3.auth;

import io.raftfs.auth.S3StringToSign;
import io.raftfs.proto.EndUserProof;
import io.raftfs.s3.S3Exception;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the SigV4 signature of an S3 request, from its {@code Authorization} header or from a
 * presigned URL's query ({@link PresignedUrl}), and turns it into the proof the masters check
 * ({@link EndUserProof}): the gateway holds no user's secret, so it can only rebuild what the
 * client signed and let the masters decide (docs/s3.md, "Authentication").
 *
 * @param proof what goes to the masters with every call made for the request
 * @param payloadHash the signed {@code x-amz-content-sha256}: a hex hash the body must match, or
 *     one of S3's keywords ({@code UNSIGNED-PAYLOAD}, {@code STREAMING-...})
 */
public record S3Signature(EndUserProof proof, String payloadHash) {
  static final String ALGORITHM = "AWS4-HMAC-SHA256";
  static final Pattern SIGNATURE = Pattern.compile("[0-9a-f]{64}");
  static final Pattern DATE = Pattern.compile("\\d{8}T\\d{6}Z");
  private static final Pattern HEADER_NAME = Pattern.compile("[a-z0-9-]{1,64}");
  private static final int MAX_SIGNED_HEADERS = 64;

  /** True for a request with no signature at all: no Authorization header, no presigned query. */
  public static boolean anonymous(String rawQuery, Function<String, List<String>> headers) {
    return headers.apply("authorization").isEmpty() && !PresignedUrl.isPresigned(rawQuery);
  }

  /**
   * @param decodedPath the request's path, percent-decoded
   * @param headers every value of a header (any case), empty if absent
   * @param region the gateway's region: a request signed for another is refused here
   * @throws S3Exception 403 {@code AccessDenied} when unsigned, 400 {@code
   *     AuthorizationHeaderMalformed} (or {@code AuthorizationQueryParametersError}) when malformed
   */
  public static S3Signature of(
      String method,
      String decodedPath,
      String rawQuery,
      Function<String, List<String>> headers,
      String region) {
    List<String> authorization = headers.apply("authorization");
    if (authorization.isEmpty()) {
      if (PresignedUrl.isPresigned(rawQuery)) {
        return PresignedUrl.of(method, decodedPath, rawQuery, headers, region);
      }
      throw new S3Exception(403, "AccessDenied", "anonymous requests are not served");
    }
    String header = authorization.get(0);
    if (!header.startsWith(ALGORITHM + ' ')) {
      throw malformed("only " + ALGORITHM + " signatures are accepted");
    }
    String credential = null;
    String signedHeaders = null;
    String signature = null;
    for (String part : header.substring(ALGORITHM.length() + 1).split(",")) {
      String field = part.strip();
      if (field.startsWith("Credential=")) {
        credential = field.substring("Credential=".length());
      } else if (field.startsWith("SignedHeaders=")) {
        signedHeaders = field.substring("SignedHeaders=".length());
      } else if (field.startsWith("Signature=")) {
        signature = field.substring("Signature=".length());
      }
    }
    if (credential == null || signedHeaders == null || signature == null) {
      throw malformed("the Authorization header needs Credential, SignedHeaders and Signature");
    }
    String[] scope = scope(credential, region, "AuthorizationHeaderMalformed");
    if (!SIGNATURE.matcher(signature).matches()) {
      throw malformed("the signature is not 64 hex digits");
    }
    String timestamp = single(headers, "x-amz-date");
    if (timestamp == null || !DATE.matcher(timestamp).matches()) {
      throw malformed("X-Amz-Date is missing or not yyyyMMddTHHmmssZ");
    }
    String payloadHash = single(headers, "x-amz-content-sha256");
    if (payloadHash == null) {
      throw new S3Exception(
          400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256");
    }
    TreeMap<String, String> signed =
        signedHeaders(signedHeaders, headers, "AuthorizationHeaderMalformed");
    if (!signed.containsKey("x-amz-content-sha256")) {
      throw malformed("the signature must cover host and x-amz-content-sha256");
    }
    String credentialScope = scope[1] + '/' + scope[2] + "/s3/aws4_request";
    String stringToSign =
        S3StringToSign.of(
            method, decodedPath, rawQuery, signed, payloadHash, timestamp, credentialScope);
    return new S3Signature(
        EndUserProof.newBuilder()
            .setAccessKeyId(scope[0])
            .setStringToSign(stringToSign)
            .setSignature(signature)
            .build(),
        payloadHash);
  }

  /** {@code X-Amz-Date} of the signature. */
  public String timestamp() {
    return proof.getStringToSign().split("\n", 4)[1];
  }

  /** {@code date/region/s3/aws4_request} of the signature. */
  public String credentialScope() {
    return proof.getStringToSign().split("\n", 4)[2];
  }

  /** {@code keyId/date/region/s3/aws4_request} split, checked to be S3's scope in this region. */
  static String[] scope(String credential, String region, String errorCode) {
    String[] scope = credential.split("/", -1);
    if (scope.length != 5 || !scope[3].equals("s3") || !scope[4].equals("aws4_request")) {
      throw new S3Exception(
          400, errorCode, "the credential is not keyId/date/region/s3/aws4_request");
    }
    if (!scope[2].equals(region)) {
      throw new S3Exception(
          400, errorCode, "signed for region " + scope[2] + ", this endpoint is " + region);
    }
    return scope;
  }

  /** The signed headers by lower-case name, each with its values joined; host must be one. */
  static TreeMap<String, String> signedHeaders(
      String list, Function<String, List<String>> headers, String errorCode) {
    String[] names = list.split(";", -1);
    if (names.length > MAX_SIGNED_HEADERS) {
      throw new S3Exception(400, errorCode, "more than " + MAX_SIGNED_HEADERS + " signed headers");
    }
    TreeMap<String, String> signed = new TreeMap<>();
    for (String name : names) {
      if (!HEADER_NAME.matcher(name).matches()) {
        throw new S3Exception(400, errorCode, "malformed SignedHeaders");
      }
      List<String> values = headers.apply(name);
      if (values.isEmpty()) {
        throw new S3Exception(400, errorCode, "signed header " + name + " is missing");
      }
      signed.put(name, String.join(",", values.stream().map(String::strip).toList()));
    }
    if (!signed.containsKey("host")) {
      throw new S3Exception(400, errorCode, "the signature must cover host");
    }
    return signed;
  }

  private static String single(Function<String, List<String>> headers, String name) {
    List<String> values = headers.apply(name);
    return values.size() == 1 ? values.get(0).strip() : null;
  }

  private static S3Exception malformed(String message) {
    return new S3Exception(400, "AuthorizationHeaderMalformed", message);
  }
}
