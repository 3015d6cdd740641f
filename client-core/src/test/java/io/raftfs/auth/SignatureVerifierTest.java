package io.raftfs.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SignatureVerifierTest {
  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
  private static final AccessKey KEY = AccessKey.generate();
  private static final byte[] BODY = "a metadata request".getBytes(StandardCharsets.UTF_8);

  private final SignatureVerifier verifier =
      new SignatureVerifier(
          id -> id.equals(KEY.id()) ? Optional.of(KEY.secret()) : Optional.empty(),
          SigningScope.RAFTFS,
          Clock.fixed(NOW, ZoneOffset.UTC),
          Duration.ofMinutes(5));

  @Test
  void aSignedRequestNamesItsKey() throws AuthenticationException {
    assertEquals(KEY.id(), verify(signed(KEY, NOW), BODY));
  }

  @Test
  void aRequestInsideTheSkewIsAccepted() throws AuthenticationException {
    assertEquals(KEY.id(), verify(signed(KEY, NOW.minus(Duration.ofMinutes(4))), BODY));
    assertEquals(KEY.id(), verify(signed(KEY, NOW.plus(Duration.ofMinutes(4))), BODY));
  }

  @Test
  void unsignedRequestsAreRefused() {
    assertRefused("not signed", new HashMap<>(), BODY);
  }

  @Test
  void aWrongSecretIsRefused() {
    AccessKey forged = new AccessKey(KEY.id(), AccessKey.generate().secret());
    assertRefused("signature does not match", signed(forged, NOW), BODY);
  }

  @Test
  void anUnknownKeyIsRefused() {
    assertRefused("unknown access key", signed(AccessKey.generate(), NOW), BODY);
  }

  @Test
  void anotherBodyIsRefused() {
    assertRefused(
        "body does not match", signed(KEY, NOW), "another".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aChangedSignedHeaderIsRefused() {
    Map<String, String> headers = signed(KEY, NOW);
    headers.put("content-type", "text/plain");
    assertRefused("signature does not match", headers, BODY);
  }

  @Test
  void oldAndFutureSignaturesAreRefused() {
    assertRefused("from this server's clock", signed(KEY, NOW.minus(Duration.ofMinutes(6))), BODY);
    assertRefused("from this server's clock", signed(KEY, NOW.plus(Duration.ofMinutes(6))), BODY);
  }

  @Test
  void anotherScopeIsRefused() {
    RequestSigner s3 =
        new RequestSigner(
            KEY, new SigningScope("us-east-1", "s3"), Clock.fixed(NOW, ZoneOffset.UTC));
    assertRefused("not signed for region raftfs", lowerCase(sign(s3)), BODY);
  }

  @Test
  void aSignatureThatLeavesTheBodyHashOutIsRefused() {
    Map<String, String> headers = signed(KEY, NOW);
    headers.put("authorization", headers.get("authorization").replace(";x-amz-content-sha256", ""));
    assertRefused("must cover the x-amz-content-sha256", headers, BODY);
  }

  @Test
  void malformedHeadersAreRefusedWithoutEchoingThem() {
    Map<String, String> headers = signed(KEY, NOW);
    headers.put(
        "authorization",
        "AWS4-HMAC-SHA256 Credential=\u0001\u0002/x/y/z/aws4_request,"
            + " SignedHeaders=host, Signature=00");
    AuthenticationException e =
        assertThrows(AuthenticationException.class, () -> verify(headers, BODY));
    assertTrue(e.getMessage().chars().allMatch(c -> c >= ' ' && c < 127), e.getMessage());
    headers.put("authorization", "Basic dXNlcjpwYXNz");
    assertRefused("is not AWS4-HMAC-SHA256", headers, BODY);
  }

  private String verify(Map<String, String> headers, byte[] body) throws AuthenticationException {
    return verifier.verify(
        "POST", "/v1/meta", "", name -> headers.get(name.toLowerCase(Locale.ROOT)), body);
  }

  private void assertRefused(String reason, Map<String, String> headers, byte[] body) {
    AuthenticationException e =
        assertThrows(AuthenticationException.class, () -> verify(headers, body));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }

  private static Map<String, String> signed(AccessKey key, Instant at) {
    return lowerCase(
        sign(new RequestSigner(key, SigningScope.RAFTFS, Clock.fixed(at, ZoneOffset.UTC))));
  }

  private static Map<String, String> sign(RequestSigner signer) {
    Map<String, String> headers = new HashMap<>();
    headers.put("Host", "m1:9870");
    headers.put("Content-Type", "application/x-protobuf");
    headers.putAll(
        signer.sign(
            "POST",
            "/v1/meta",
            "",
            "m1:9870",
            Map.of("Content-Type", "application/x-protobuf"),
            BODY));
    return headers;
  }

  private static Map<String, String> lowerCase(Map<String, String> headers) {
    Map<String, String> lower = new HashMap<>();
    headers.forEach((name, value) -> lower.put(name.toLowerCase(Locale.ROOT), value));
    return lower;
  }
}
