package io.raftfs.auth;

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
 * secret that shows whether the signature is the key holder's. Like {@link SignatureVerifier} it
 * refuses a proof signed outside the allowed clock skew, so a captured proof cannot be used later.
 *
 * <pre>{@code
 * String keyId = verifier.verify(proof.getAccessKeyId(), proof.getStringToSign(), proof.getSignature());
 * }</pre>
 */
public final class EndUserProofVerifier {
  /** The service S3 clients sign for; the region is the gateway's, and any name is accepted. */
  public static final String S3_SERVICE = "s3";

  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,64}");

  private final SignatureVerifier.Secrets secrets;
  private final Clock clock;
  private final Duration maxSkew;

  public EndUserProofVerifier(SignatureVerifier.Secrets secrets, Clock clock, Duration maxSkew) {
    this.secrets = secrets;
    this.clock = clock;
    this.maxSkew = maxSkew;
  }

  /**
   * Returns {@code accessKeyId} if its secret signed {@code stringToSign} recently.
   *
   * @throws AuthenticationException with the one-line reason otherwise
   */
  public String verify(String accessKeyId, String stringToSign, String signature)
      throws AuthenticationException {
    if (!AccessKey.validId(accessKeyId)) {
      throw new AuthenticationException("malformed access key id in the end user's proof");
    }
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
    checkTime(timestamp, scope[0]);
    String secret =
        secrets
            .secretOf(accessKeyId)
            .orElseThrow(
                () -> new AuthenticationException("unknown access key " + accessKeyId, true));
    String expected =
        SigV4.signature(
            SigV4.signingKey(secret, scope[0], new SigningScope(scope[1], S3_SERVICE)),
            stringToSign);
    if (!MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.US_ASCII),
        signature.getBytes(StandardCharsets.US_ASCII))) {
      throw new AuthenticationException(
          "the signature does not match (wrong secret key for " + accessKeyId + "?)", true);
    }
    return accessKeyId;
  }

  private void checkTime(String timestamp, String scopeDate) throws AuthenticationException {
    Instant signedAt;
    try {
      signedAt = Instant.from(SigV4.TIMESTAMP.parse(timestamp));
    } catch (DateTimeParseException e) {
      throw new AuthenticationException("malformed timestamp in the end user's proof");
    }
    if (!timestamp.startsWith(scopeDate)) {
      throw new AuthenticationException("the proof's scope date is not its timestamp's");
    }
    Duration off = Duration.between(signedAt, Instant.now(clock)).abs();
    if (off.compareTo(maxSkew) > 0) {
      throw new AuthenticationException(
          "the end user signed at " + timestamp + ", " + off.toSeconds() + " s from this clock");
    }
  }
}
