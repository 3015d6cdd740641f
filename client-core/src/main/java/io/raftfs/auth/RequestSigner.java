package io.raftfs.auth;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Signs requests with an {@link AccessKey} (AWS Signature Version 4, in headers): the receiver
 * recomputes the signature from the request and its copy of the secret, so the secret itself is
 * never sent. The host, the time and the body's SHA-256 are always signed; a request is good for a
 * few minutes (the receiver's replay window).
 *
 * <pre>{@code
 * RequestSigner signer = new RequestSigner(key, SigningScope.RAFTFS, Clock.systemUTC());
 * Map<String, String> headers = signer.sign("POST", "/v1/meta", "", "m1:9870", contentHeaders, body);
 * }</pre>
 *
 * Thread-safe; the derived signing key is kept for the day it is valid.
 */
public final class RequestSigner {
  private final AccessKey key;
  private final SigningScope scope;
  private final Clock clock;
  private volatile DayKey dayKey;

  public RequestSigner(AccessKey key, SigningScope scope, Clock clock) {
    this.key = key;
    this.scope = scope;
    this.clock = clock;
  }

  public String accessKeyId() {
    return key.id();
  }

  /**
   * The headers to add to a request: {@code X-Amz-Date}, {@code X-Amz-Content-Sha256} and {@code
   * Authorization}.
   *
   * @param host the {@code Host} header exactly as it is sent
   * @param headers further headers to sign (sent as given)
   */
  public Map<String, String> sign(
      String method,
      String path,
      String rawQuery,
      String host,
      Map<String, String> headers,
      byte[] body) {
    String timestamp = SigV4.TIMESTAMP.format(Instant.now(clock));
    String payloadHash = SigV4.sha256Hex(body);
    TreeMap<String, String> signed = new TreeMap<>();
    headers.forEach((name, value) -> signed.put(name.toLowerCase(Locale.ROOT), value));
    signed.put("host", host);
    signed.put(SigV4.DATE_HEADER, timestamp);
    signed.put(SigV4.CONTENT_HASH_HEADER, payloadHash);
    String date = timestamp.substring(0, 8);
    String credentialScope = scope.credentialScope(date);
    String canonical = SigV4.canonicalRequest(method, path, rawQuery, signed, payloadHash);
    String signature =
        SigV4.signature(
            signingKey(date), SigV4.stringToSign(timestamp, credentialScope, canonical));
    Map<String, String> added = new LinkedHashMap<>();
    added.put("X-Amz-Date", timestamp);
    added.put("X-Amz-Content-Sha256", payloadHash);
    added.put(
        "Authorization",
        SigV4.ALGORITHM
            + " Credential="
            + key.id()
            + '/'
            + credentialScope
            + ", SignedHeaders="
            + String.join(";", signed.keySet())
            + ", Signature="
            + signature);
    return added;
  }

  private byte[] signingKey(String date) {
    DayKey current = dayKey;
    if (current == null || !current.date.equals(date)) {
      current = new DayKey(date, SigV4.signingKey(key.secret(), date, scope));
      dayKey = current;
    }
    return current.key;
  }

  private record DayKey(String date, byte[] key) {}
}
