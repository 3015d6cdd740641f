package io.raftfs.s3.body;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.raftfs.auth.ChunkSignatureChain;
import io.raftfs.auth.SigningScope;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * aws-chunked bodies with and without a checksum trailer, signed chunks checked against their
 * chain, and every declared check failing.
 */
class CheckedBodyTest {
  private static final byte[] DATA = "hello, chunked world".getBytes(StandardCharsets.UTF_8);
  private static final String SECRET = "a-secret-key-of-forty-characters-0123456";

  @Test
  void decodesSignedChunksAndChecksTheCrc32Trailer() throws IOException {
    String body =
        "5;chunk-signature="
            + "a".repeat(64)
            + "\r\nhello\r\n"
            + "f;chunk-signature="
            + "b".repeat(64)
            + "\r\n, chunked world\r\n"
            + "0;chunk-signature="
            + "c".repeat(64)
            + "\r\n"
            + "x-amz-checksum-crc32:"
            + crc32(DATA)
            + "\r\n"
            + "x-amz-trailer-signature:"
            + "d".repeat(64)
            + "\r\n\r\n";
    CheckedBody checked =
        new CheckedBody(
            stream(body),
            Map.of(
                    "x-amz-decoded-content-length",
                    Integer.toString(DATA.length),
                    "x-amz-trailer",
                    "x-amz-checksum-crc32")
                ::get,
            "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
            null);
    assertArrayEquals(DATA, checked.readAllBytes());
    assertEquals(32, checked.md5Hex().length());
  }

  @Test
  void aTrailerThatDoesNotMatchRejectsTheBody() {
    String body = "14\r\nhello, chunked world\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n";
    CheckedBody checked =
        new CheckedBody(
            stream(body),
            Map.of("x-amz-trailer", "x-amz-checksum-crc32")::get,
            "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
            null);
    BodyRejectedException e = assertThrows(BodyRejectedException.class, checked::readAllBytes);
    assertEquals("BadDigest", e.answer().code());
  }

  @Test
  void aWrongLengthHashOrMd5RejectsThePlainBody() {
    assertEquals(
        "IncompleteBody",
        rejected(Map.of("content-length", "999"), "UNSIGNED-PAYLOAD").answer().code());
    assertEquals("XAmzContentSHA256Mismatch", rejected(Map.of(), "0".repeat(64)).answer().code());
    assertEquals(
        "BadDigest",
        rejected(Map.of("content-md5", "AAAAAAAAAAAAAAAAAAAAAA=="), "UNSIGNED-PAYLOAD")
            .answer()
            .code());
  }

  @Test
  void aChunkHeaderThatIsNotHexIsMalformed() {
    CheckedBody checked =
        new CheckedBody(
            stream("zz\r\nhello\r\n0\r\n\r\n"),
            name -> null,
            "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
            null);
    assertEquals(
        "IncompleteBody",
        assertThrows(BodyRejectedException.class, checked::readAllBytes).answer().code());
  }

  private static BodyRejectedException rejected(Map<String, String> headers, String payloadHash) {
    CheckedBody checked =
        new CheckedBody(new ByteArrayInputStream(DATA), headers::get, payloadHash, null);
    return assertThrows(BodyRejectedException.class, checked::readAllBytes);
  }

  @Test
  void checksEveryChunkSignatureAndTheTrailerSignatureOfTheChain() throws IOException {
    CheckedBody checked = signedBody(-1, false);
    assertArrayEquals(DATA, checked.readAllBytes());
  }

  @Test
  void aChunkWhoseSignatureDoesNotMatchRejectsTheBody() {
    for (int altered = 0; altered < 3; altered++) {
      CheckedBody checked = signedBody(altered, false);
      BodyRejectedException e = assertThrows(BodyRejectedException.class, checked::readAllBytes);
      assertEquals(403, e.answer().status());
      assertEquals("SignatureDoesNotMatch", e.answer().code());
    }
  }

  @Test
  void aTrailerWhoseSignatureDoesNotMatchRejectsTheBody() {
    CheckedBody checked = signedBody(-1, true);
    BodyRejectedException e = assertThrows(BodyRejectedException.class, checked::readAllBytes);
    assertEquals("SignatureDoesNotMatch", e.answer().code());
  }

  /**
   * DATA in two chunks and the empty last one, signed by the chain of a made-up key, with a CRC32
   * trailer; chunk {@code altered} (0..2) carries another signature, or the trailer another value.
   */
  private static CheckedBody signedBody(int altered, boolean alterTrailer) {
    byte[] key = new SigningScope("us-east-1", "s3").signingKey(SECRET, "20261208");
    String timestamp = "20261208T010203Z";
    String scope = "20261208/us-east-1/s3/aws4_request";
    String seed = "e".repeat(64);
    ChunkSignatureChain signer = new ChunkSignatureChain(key, timestamp, scope, seed);
    String[] chunks = {"hello", ", chunked world", ""};
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < chunks.length; i++) {
      String signature = signer.next(sha256(chunks[i]));
      if (i == altered) {
        signature = signature.replace(signature.charAt(0), signature.charAt(0) == 'a' ? 'b' : 'a');
      }
      body.append(Integer.toHexString(chunks[i].length()))
          .append(";chunk-signature=")
          .append(signature)
          .append("\r\n");
      if (!chunks[i].isEmpty()) {
        body.append(chunks[i]).append("\r\n");
      }
    }
    String crc = crc32(DATA);
    String trailerSignature = signer.trailer(new TreeMap<>(Map.of("x-amz-checksum-crc32", crc)));
    body.append("x-amz-checksum-crc32:")
        .append(alterTrailer ? crc32("other".getBytes(StandardCharsets.UTF_8)) : crc)
        .append("\r\nx-amz-trailer-signature:")
        .append(trailerSignature)
        .append("\r\n\r\n");
    return new CheckedBody(
        stream(body.toString()),
        Map.of(
                "x-amz-decoded-content-length",
                Integer.toString(DATA.length),
                "x-amz-trailer",
                "x-amz-checksum-crc32")
            ::get,
        "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
        new ChunkSignatureChain(key, timestamp, scope, seed));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static InputStream stream(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String crc32(byte[] data) {
    CRC32 crc = new CRC32();
    crc.update(data);
    long v = crc.getValue();
    return Base64.getEncoder()
        .encodeToString(new byte[] {(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v});
  }
}
