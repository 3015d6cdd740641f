package io.raftfs.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Checks requests signed by a {@link RequestSigner} (or by any AWS SigV4 signer with the same
 * scope): who signed, that nothing signed was changed, and that the request is recent. The body's
 * hash must be signed, so a captured request cannot carry another body, and a request older or
 * newer than the allowed clock skew is refused, so a captured one cannot be replayed later (a
 * replay inside the window repeats a request whose dedup id makes it harmless).
 *
 * <pre>{@code
 * SignatureVerifier verifier =
 *     new SignatureVerifier(users::secretOf, SigningScope.RAFTFS, clock, Duration.ofMinutes(5));
 * String keyId = verifier.verify("POST", path, query, request::getHeader, body);
 * }</pre>
 */
public final class SignatureVerifier {
  /** Finds the secret of an access key id, if the key exists. */
  @FunctionalInterface
  public interface Secrets {
    Optional<String> secretOf(String accessKeyId);
  }

  // Signing keys derived per key and day: four HMACs saved on every request.
  private static final int MAX_CACHED_KEYS = 4096;
  private static final Pattern HEADER_NAME = Pattern.compile("[a-z0-9-]{1,64}");

  private final Secrets secrets;
  private final SigningScope scope;
  private final Clock clock;
  private final Duration maxSkew;
  private final Map<String, DerivedKey> derived = new ConcurrentHashMap<>();

  public SignatureVerifier(Secrets secrets, SigningScope scope, Clock clock, Duration maxSkew) {
    this.secrets = secrets;
    this.scope = scope;
    this.clock = clock;
    this.maxSkew = maxSkew;
  }

  /**
   * Returns the access key id that signed the request.
   *
   * @param header the request's header of a name (any case), or null if absent
   * @throws AuthenticationException with the reason, for a request not signed or not signed well
   */
  public String verify(
      String method, String path, String rawQuery, Function<String, String> header, byte[] body)
      throws AuthenticationException {
    String authorization = header.apply("Authorization");
    if (authorization == null) {
      throw new AuthenticationException("the request is not signed (no Authorization header)");
    }
    Authorization auth = Authorization.parse(authorization);
    String[] credential = auth.credential().split("/", -1);
    if (credential.length != 5 || !credential[4].equals(SigV4.TERMINATOR)) {
      throw new AuthenticationException("malformed credential in the Authorization header");
    }
    String keyId = credential[0];
    String date = credential[1];
    if (!AccessKey.validId(keyId)) {
      throw new AuthenticationException("malformed access key id in the Authorization header");
    }
    if (!credential[2].equals(scope.region()) || !credential[3].equals(scope.service())) {
      throw new AuthenticationException(
          "not signed for region " + scope.region() + " and service " + scope.service());
    }
    TreeMap<String, String> signed = new TreeMap<>();
    for (String name : auth.signedHeaders().split(";", -1)) {
      if (!HEADER_NAME.matcher(name).matches()) {
        throw new AuthenticationException("malformed SignedHeaders in the Authorization header");
      }
      String value = header.apply(name);
      if (value == null) {
        throw new AuthenticationException("signed header " + name + " is missing");
      }
      signed.put(name, value);
    }
    for (String needed : new String[] {"host", SigV4.DATE_HEADER, SigV4.CONTENT_HASH_HEADER}) {
      if (!signed.containsKey(needed)) {
        throw new AuthenticationException("the signature must cover the " + needed + " header");
      }
    }
    String timestamp = signed.get(SigV4.DATE_HEADER);
    checkTime(timestamp, date);
    String payloadHash = SigV4.sha256Hex(body);
    if (!payloadHash.equals(signed.get(SigV4.CONTENT_HASH_HEADER))) {
      throw new AuthenticationException("the body does not match its signed SHA-256");
    }
    String secret =
        secrets
            .secretOf(keyId)
            .orElseThrow(() -> new AuthenticationException("unknown access key " + keyId, true));
    String canonical = SigV4.canonicalRequest(method, path, rawQuery, signed, payloadHash);
    String expected =
        SigV4.signature(
            signingKey(keyId, secret, date),
            SigV4.stringToSign(timestamp, scope.credentialScope(date), canonical));
    if (!MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.US_ASCII),
        auth.signature().getBytes(StandardCharsets.US_ASCII))) {
      throw new AuthenticationException(
          "the signature does not match (wrong secret key for " + keyId + "?)", true);
    }
    return keyId;
  }

  private void checkTime(String timestamp, String scopeDate) throws AuthenticationException {
    Instant signedAt;
    try {
      signedAt = Instant.from(SigV4.TIMESTAMP.parse(timestamp));
    } catch (DateTimeParseException e) {
      throw new AuthenticationException("malformed X-Amz-Date");
    }
    if (!timestamp.startsWith(scopeDate)) {
      throw new AuthenticationException("the credential's date is not the X-Amz-Date's");
    }
    Duration off = Duration.between(signedAt, Instant.now(clock)).abs();
    if (off.compareTo(maxSkew) > 0) {
      throw new AuthenticationException(
          "signed at "
              + timestamp
              + ", "
              + off.toSeconds()
              + " s from this server's clock (at most "
              + maxSkew.toSeconds()
              + " s)");
    }
  }

  private byte[] signingKey(String keyId, String secret, String date) {
    String cacheKey = keyId + '/' + date;
    DerivedKey known = derived.get(cacheKey);
    if (known != null && known.secret.equals(secret)) {
      return known.key;
    }
    if (derived.size() >= MAX_CACHED_KEYS) {
      derived.clear();
    }
    byte[] key = SigV4.signingKey(secret, date, scope);
    derived.put(cacheKey, new DerivedKey(secret, key));
    return key;
  }

  private record DerivedKey(String secret, byte[] key) {}

  /**
   * The three parts of {@code AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...}.
   */
  private record Authorization(String credential, String signedHeaders, String signature) {
    static Authorization parse(String header) throws AuthenticationException {
      String prefix = SigV4.ALGORITHM + ' ';
      if (!header.startsWith(prefix)) {
        throw new AuthenticationException("the Authorization header is not " + SigV4.ALGORITHM);
      }
      String credential = null;
      String signedHeaders = null;
      String signature = null;
      for (String part : header.substring(prefix.length()).split(",")) {
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
        throw new AuthenticationException(
            "the Authorization header needs Credential, SignedHeaders and Signature");
      }
      return new Authorization(credential, signedHeaders, signature);
    }
  }
}
