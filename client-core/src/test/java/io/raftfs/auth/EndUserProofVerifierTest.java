package io.raftfs.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.proto.EndUserProof;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * End users' proofs as a gateway forwards them: signed in headers they are good within the clock
 * skew; presigned, for the window their own signed query gives, which the gateway cannot stretch.
 */
class EndUserProofVerifierTest {
  private static final Instant NOW = Instant.parse("2026-12-08T12:00:00Z");
  private static final AccessKey KEY = AccessKey.generate();
  private static final SigningScope S3 = new SigningScope("us-east-1", "s3");

  private final EndUserProofVerifier verifier =
      new EndUserProofVerifier(
          id -> id.equals(KEY.id()) ? Optional.of(KEY.secret()) : Optional.empty(),
          Clock.fixed(NOW, ZoneOffset.UTC),
          Duration.ofMinutes(5));

  @Test
  void aHeaderProofIsGoodWithinTheSkewOnly() throws AuthenticationException {
    assertEquals(KEY.id(), verifier.verify(headerProof(NOW.minus(Duration.ofMinutes(4)))));
    assertRefused("from this clock", headerProof(NOW.minus(Duration.ofMinutes(6))));
  }

  @Test
  void aPresignedProofIsGoodForItsOwnWindow() throws AuthenticationException {
    assertEquals(KEY.id(), verifier.verify(presigned(NOW.minus(Duration.ofHours(2)), 3 * 3600)));
    assertEquals(KEY.id(), verifier.verify(presigned(NOW.plus(Duration.ofMinutes(4)), 60)));
    assertRefused(EndUserProofVerifier.EXPIRED, presigned(NOW.minus(Duration.ofMinutes(2)), 60));
    assertRefused("later than this clock", presigned(NOW.plus(Duration.ofMinutes(6)), 3600));
    assertRefused("1 to 604800", presigned(NOW, 604_801));
  }

  @Test
  void aPresignedProofWhoseCanonicalRequestWasNotSignedIsRefused() {
    EndUserProof proof = presigned(NOW.minus(Duration.ofHours(2)), 60);
    // The gateway claims a longer window than the URL signed: the hash no longer matches.
    EndUserProof stretched =
        proof.toBuilder()
            .setPresignedCanonicalRequest(
                proof
                    .getPresignedCanonicalRequest()
                    .replace("X-Amz-Expires=60", "X-Amz-Expires=604800"))
            .build();
    assertRefused("not the one signed", stretched);
  }

  @Test
  void theSigningKeyIsTheDerivedOneOfTheProofsScope() throws AuthenticationException {
    assertArrayEquals(
        S3.signingKey(KEY.secret(), "20261208"), verifier.signingKey(headerProof(NOW)));
    EndUserProof forged = headerProof(NOW).toBuilder().setSignature("0".repeat(64)).build();
    assertRefused("signature does not match", forged);
    assertThrows(AuthenticationException.class, () -> verifier.signingKey(forged));
  }

  private static EndUserProof headerProof(Instant at) {
    String timestamp = SigV4.TIMESTAMP.format(at);
    TreeMap<String, String> headers = new TreeMap<>();
    headers.put("host", "s3.example");
    headers.put("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
    headers.put("x-amz-date", timestamp);
    String canonical =
        S3StringToSign.canonicalRequest("GET", "/b/k", "", headers, "UNSIGNED-PAYLOAD");
    return sign(timestamp, canonical).build();
  }

  private static EndUserProof presigned(Instant at, long expires) {
    String timestamp = SigV4.TIMESTAMP.format(at);
    String query =
        "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="
            + KEY.id()
            + "%2F"
            + timestamp.substring(0, 8)
            + "%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date="
            + timestamp
            + "&X-Amz-Expires="
            + expires
            + "&X-Amz-SignedHeaders=host";
    TreeMap<String, String> headers = new TreeMap<>();
    headers.put("host", "s3.example");
    String canonical =
        S3StringToSign.canonicalRequest("GET", "/b/k", query, headers, "UNSIGNED-PAYLOAD");
    return sign(timestamp, canonical).setPresignedCanonicalRequest(canonical).build();
  }

  private static EndUserProof.Builder sign(String timestamp, String canonical) {
    String date = timestamp.substring(0, 8);
    String stringToSign =
        S3StringToSign.of(timestamp, date + "/us-east-1/s3/aws4_request", canonical);
    return EndUserProof.newBuilder()
        .setAccessKeyId(KEY.id())
        .setStringToSign(stringToSign)
        .setSignature(S3StringToSign.sign(S3.signingKey(KEY.secret(), date), stringToSign));
  }

  private void assertRefused(String reason, EndUserProof proof) {
    AuthenticationException e =
        assertThrows(AuthenticationException.class, () -> verifier.verify(proof));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }
}
