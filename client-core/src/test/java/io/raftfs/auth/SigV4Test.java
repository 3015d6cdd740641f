package io.raftfs.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Signatures compared with the ones botocore 1.43 (AWS's Python SDK) made for the same requests.
 */
class SigV4Test {
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  private static final String TIMESTAMP = "20261207T185532Z";
  private static final Clock AT_TIMESTAMP =
      Clock.fixed(Instant.parse("2026-12-07T18:55:32Z"), ZoneOffset.UTC);

  @Test
  void getWithoutBodyMatchesBotocore() {
    assertEquals(
        "52b16807f7d3af8e7cddfa55a9465c77e49148a7fd77b3af9144d91868439168",
        signature(
            "GET",
            "/",
            "",
            new SigningScope("us-east-1", "service"),
            headers("host", "example.amazonaws.com")));
  }

  @Test
  void queryIsSortedAndEncodedAsBotocoreDoes() {
    assertEquals(
        "c7bdb30d531d130443710b27c05985760f33133508930402d03dd389f0658a7e",
        signature(
            "GET",
            "/v1/meta",
            "b=2&a=x%20y",
            SigningScope.RAFTFS,
            headers("host", "127.0.0.1:9870")));
  }

  @Test
  void signerMatchesBotocoreForAProtobufPost() {
    RequestSigner signer =
        new RequestSigner(
            new AccessKey("AKIDEXAMPLE00000", SECRET), SigningScope.RAFTFS, AT_TIMESTAMP);
    byte[] body = HexFormat.of().parseHex("00010203040506070809");
    Map<String, String> added =
        signer.sign(
            "POST",
            "/v1/meta",
            "",
            "127.0.0.1:9870",
            Map.of("Content-Type", "application/x-protobuf"),
            body);
    // botocore signed with the key id AKIDEXAMPLE; the id is not part of the signature.
    assertEquals(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE00000/20261207/raftfs/raftfs/aws4_request,"
            + " SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date,"
            + " Signature=5ca7e2e7843aa9ced41c03793fe302eae373bc40d4258931d844b3a094f8c496",
        added.get("Authorization"));
    assertEquals(
        "1f825aa2f0020ef7cf91dfa30da4668d791c5d4824fc8e41354b89ec05795ab3",
        added.get("X-Amz-Content-Sha256"));
    assertEquals(TIMESTAMP, added.get("X-Amz-Date"));
  }

  @Test
  void encodingKeepsOnlyUnreservedCharacters() {
    assertEquals("a-b_c.d~e%20%2F%2B%C3%A9", SigV4.encode("a-b_c.d~e /+é"));
    assertEquals("x y%zz%", SigV4.decode("x%20y%zz%"));
  }

  private static TreeMap<String, String> headers(String name, String value) {
    TreeMap<String, String> headers = new TreeMap<>(Map.of(name, value));
    headers.put(SigV4.DATE_HEADER, TIMESTAMP);
    return headers;
  }

  private static String signature(
      String method,
      String path,
      String query,
      SigningScope scope,
      TreeMap<String, String> headers) {
    String emptyHash = SigV4.sha256Hex(new byte[0]);
    String canonical = SigV4.canonicalRequest(method, path, query, headers, emptyHash);
    String date = TIMESTAMP.substring(0, 8);
    return SigV4.signature(
        SigV4.signingKey(SECRET, date, scope),
        SigV4.stringToSign(TIMESTAMP, scope.credentialScope(date), canonical));
  }
}
