package io.raftfs.auth;

import io.raftfs.proto.EndUserProof;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Checks an S3 client's SigV4 signature that a gateway forwards ({@code MetaRequest.end_user}): the
 * gateway rebuilt the string to sign from the request it received, and only the masters hold the
 * secret that shows whether the signature is the key holder's. A proof signed in headers is good
 * only within the allowed clock skew, as {@link SignatureVerifier}'s requests, so a captured proof
 * cannot be used later; a presigned URL's proof is good for the window the URL itself signs ({@code
 * X-Amz-Date} plus {@code X-Amz-Expires}), which the masters read from its canonical request, so
 * the gateway cannot stretch it.
 *
 * <pre>{@code
 * String keyId = verifier.verify(request.getEndUser());
 * }</pre>
 */
public final class EndUserProofVerifier {
  /** The service S3 clients sign for; the region is the gateway's, and any name is accepted. */
  public static final String S3_SERVICE = "s3";

  /** The longest a presigned URL may be valid, as S3 allows: 7 days. */
  public static final long MAX_EXPIRES_SECONDS = 7 * 24 * 3600;

  /** The message of a refusal for a presigned URL past its window, as S3 words it. */
  public static final String EXPIRED = "Request has expired";

  // A key of 1,024 bytes percent-encoded, a query of overrides and a few signed headers fit.
  private static final int MAX_CANONICAL_REQUEST_CHARS = 32 << 10;
  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,64}");
  private static final Pattern EXPIRES = Pattern.compile("[0-9]{1,7}");

  private final SignatureVerifier.Secrets secrets;
  private final Clock clock;
  private final Duration maxSkew;

  public EndUserProofVerifier(SignatureVerifier.Secrets secrets, Clock clock, Duration maxSkew) {
    this.secrets = secrets;
    this.clock = clock;
    this.maxSkew = maxSkew;
  }

  /**
   * Returns the proof's access key id if its secret signed the proof's string to sign, and the
   * proof is within its time window.
   *
   * @throws AuthenticationException with the one-line reason otherwise
   */
  public String verify(EndUserProof proof) throws AuthenticationException {
    return check(proof).accessKeyId();
  }

  /**
   * The SigV4 signing key of a proof that {@link #verify} passes: the secret's HMAC chain over the
   * proof's date, region, {@code s3} and {@code aws4_request}, good for that day, region and
   * service only. An S3 gateway checks an upload's chunk signatures with it.
   *
   * @throws AuthenticationException as {@link #verify}
   */
  public byte[] signingKey(EndUserProof proof) throws AuthenticationException {
    return check(proof).signingKey();
  }

  private record Verified(String accessKeyId, byte[] signingKey) {}

  private Verified check(EndUserProof proof) throws AuthenticationException {
    String accessKeyId = proof.getAccessKeyId();
    if (!AccessKey.validId(accessKeyId)) {
      throw new AuthenticationException("malformed access key id in the end user's proof");
    }
    String stringToSign = proof.getStringToSign();
    String[] lines = stringToSign.split("\n", -1);
    if (lines.length != 4
        || !lines[0].equals(SigV4.ALGORITHM)
        || !HASH.matcher(lines[3]).matches()) {
      throw new AuthenticationException("malformed string to sign in the end user's proof");
    }
    String timestamp = lines[1];
    String[] scope = lines[2].split("/", -1);
    if (scope.length != 4
        || !REGION.matcher(scope[1]).matches()
        || !scope[2].equals(S3_SERVICE)
        || !scope[3].equals(SigV4.TERMINATOR)) {
      throw new AuthenticationException("the end user's proof is not scoped to region/s3");
    }
    Instant signedAt = signedAt(timestamp, scope[0]);
    if (proof.getPresignedCanonicalRequest().isEmpty()) {
      checkSkew(timestamp, signedAt);
    } else {
      checkPresigned(proof.getPresignedCanonicalRequest(), lines[3], timestamp, signedAt);
    }
    String secret =
        secrets
            .secretOf(accessKeyId)
            .orElseThrow(
                () -> new AuthenticationException("unknown access key " + accessKeyId, true));
    byte[] signingKey = SigV4.signingKey(secret, scope[0], new SigningScope(scope[1], S3_SERVICE));
    String expected = SigV4.signature(signingKey, stringToSign);
    if (!MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.US_ASCII),
        proof.getSignature().getBytes(StandardCharsets.US_ASCII))) {
      throw new AuthenticationException(
          "the signature does not match (wrong secret key for " + accessKeyId + "?)", true);
    }
    return new Verified(accessKeyId, signingKey);
  }

  private static Instant signedAt(String timestamp, String scopeDate)
      throws AuthenticationException {
    Instant signedAt;
    try {
      signedAt = Instant.from(SigV4.TIMESTAMP.parse(timestamp));
    } catch (DateTimeParseException e) {
      throw new AuthenticationException("malformed timestamp in the end user's proof");
    }
    if (!timestamp.startsWith(scopeDate)) {
      throw new AuthenticationException("the proof's scope date is not its timestamp's");
    }
    return signedAt;
  }

  private void checkSkew(String timestamp, Instant signedAt) throws AuthenticationException {
    Duration off = Duration.between(signedAt, Instant.now(clock)).abs();
    if (off.compareTo(maxSkew) > 0) {
      throw new AuthenticationException(
          "the end user signed at " + timestamp + ", " + off.toSeconds() + " s from this clock");
    }
  }

  /**
   * A presigned URL's proof: the canonical request must be the one whose hash was signed, and its
   * (signed) query gives the window: from {@code X-Amz-Date}, less the clock skew for a signer
   * whose clock is ahead, until {@code X-Amz-Expires} seconds after it.
   */
  private void checkPresigned(
      String canonicalRequest, String signedHash, String timestamp, Instant signedAt)
      throws AuthenticationException {
    if (canonicalRequest.length() > MAX_CANONICAL_REQUEST_CHARS
        || !SigV4.sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8)).equals(signedHash)) {
      throw new AuthenticationException(
          "the presigned proof's canonical request is not the one signed");
    }
    String[] lines = canonicalRequest.split("\n", 4);
    String date = null;
    String expires = null;
    for (String pair : lines.length < 3 ? new String[0] : lines[2].split("&")) {
      if (pair.startsWith("X-Amz-Date=")) {
        date = pair.substring("X-Amz-Date=".length());
      } else if (pair.startsWith("X-Amz-Expires=")) {
        expires = pair.substring("X-Amz-Expires=".length());
      }
    }
    if (!timestamp.equals(date) || expires == null || !EXPIRES.matcher(expires).matches()) {
      throw new AuthenticationException(
          "the presigned URL does not sign its X-Amz-Date and X-Amz-Expires");
    }
    long seconds = Long.parseLong(expires);
    if (seconds < 1 || seconds > MAX_EXPIRES_SECONDS) {
      throw new AuthenticationException(
          "X-Amz-Expires must be 1 to " + MAX_EXPIRES_SECONDS + " seconds, not " + seconds);
    }
    Instant now = Instant.now(clock);
    if (now.isBefore(signedAt.minus(maxSkew))) {
      throw new AuthenticationException(
          "the presigned URL is dated " + timestamp + ", later than this clock");
    }
    if (now.isAfter(signedAt.plusSeconds(seconds))) {
      throw new AuthenticationException(
          EXPIRED + ": signed at " + timestamp + ", valid for " + seconds + " s");
    }
  }
}
