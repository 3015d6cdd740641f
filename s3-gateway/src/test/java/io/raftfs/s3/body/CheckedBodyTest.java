package io.raftfs.s3.body;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** aws-chunked bodies with and without a checksum trailer, and every declared check failing. */
class CheckedBodyTest {
  private static final byte[] DATA = "hello, chunked world".getBytes(StandardCharsets.UTF_8);

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
            "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER");
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
            "STREAMING-UNSIGNED-PAYLOAD-TRAILER");
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
            stream("zz\r\nhello\r\n0\r\n\r\n"), name -> null, "STREAMING-UNSIGNED-PAYLOAD-TRAILER");
    assertEquals(
        "IncompleteBody",
        assertThrows(BodyRejectedException.class, checked::readAllBytes).answer().code());
  }

  private static BodyRejectedException rejected(Map<String, String> headers, String payloadHash) {
    CheckedBody checked =
        new CheckedBody(new ByteArrayInputStream(DATA), headers::get, payloadHash);
    return assertThrows(BodyRejectedException.class, checked::readAllBytes);
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
