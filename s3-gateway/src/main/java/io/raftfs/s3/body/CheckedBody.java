package io.raftfs.s3.body;

import io.raftfs.auth.ChunkSignatureChain;
import io.raftfs.s3.S3Exception;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Function;

/**
 * An object's bytes on their way in, checked against everything the client declared: the length,
 * the signed SHA-256, {@code Content-MD5} and {@code x-amz-checksum-*} (as a header or an
 * aws-chunked trailer). The check runs when the stream ends, before the client library commits the
 * file, so a body that does not match is never stored (nor one whose chunk signatures fail). Its
 * MD5 is the object's ETag.
 */
public final class CheckedBody extends InputStream {
  private static final HexFormat HEX = HexFormat.of();

  private final InputStream in;
  private final AwsChunkedInputStream chunked;
  private final long expectedLength;
  private final String sha256Hex;
  private final String contentMd5;
  private final Map<String, String> declared;
  private final Map<String, Checksums.Running> running = new HashMap<>();
  private final MessageDigest md5 = Checksums.newDigest("MD5");
  private final MessageDigest sha256;
  private long length;
  private String md5Hex;

  /**
   * @param raw the request body as received
   * @param headers the request's header of a lower-case name, or null
   * @param payloadHash the signed {@code x-amz-content-sha256}
   * @param chunkSignatures checks an aws-chunked body's signatures; null if it has none to check
   */
  public CheckedBody(
      InputStream raw,
      Function<String, String> headers,
      String payloadHash,
      ChunkSignatureChain chunkSignatures) {
    boolean streaming = payloadHash.startsWith("STREAMING-");
    this.chunked = streaming ? new AwsChunkedInputStream(raw, chunkSignatures) : null;
    this.in = streaming ? chunked : raw;
    String lengthHeader =
        headers.apply(streaming ? "x-amz-decoded-content-length" : "content-length");
    try {
      this.expectedLength = lengthHeader == null ? -1 : Long.parseLong(lengthHeader.strip());
    } catch (NumberFormatException e) {
      throw S3Exception.invalidArgument("the content length is not a number: " + lengthHeader);
    }
    this.sha256Hex = payloadHash.matches("[0-9a-f]{64}") ? payloadHash : null;
    this.sha256 = sha256Hex == null ? null : Checksums.newDigest("SHA-256");
    this.contentMd5 = headers.apply("content-md5");
    if (contentMd5 != null && !isMd5(contentMd5.strip())) {
      throw new S3Exception(400, "InvalidDigest", "the Content-MD5 is not a base64 MD5");
    }
    this.declared = new HashMap<>();
    String trailer = headers.apply("x-amz-trailer");
    for (String name : new String[] {"crc32", "crc32c", "sha1", "sha256"}) {
      String header = "x-amz-checksum-" + name;
      String value = headers.apply(header);
      if (value != null) {
        declared.put(header, value.strip());
      }
      if (value != null || (trailer != null && trailer.strip().equalsIgnoreCase(header))) {
        running.put(header, Checksums.forHeader(header));
      }
    }
  }

  /** The hex MD5 of the body; after the stream ended. */
  public String md5Hex() {
    return md5Hex;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] into, int offset, int count) throws IOException {
    if (md5Hex != null) {
      return -1;
    }
    int n = in.read(into, offset, count);
    if (n < 0) {
      verify();
      return -1;
    }
    length += n;
    if (expectedLength >= 0 && length > expectedLength) {
      throw reject(400, "IncompleteBody", "the body is longer than its declared length");
    }
    md5.update(into, offset, n);
    if (sha256 != null) {
      sha256.update(into, offset, n);
    }
    for (Checksums.Running checksum : running.values()) {
      checksum.update(into, offset, n);
    }
    return n;
  }

  private void verify() throws BodyRejectedException {
    if (expectedLength >= 0 && length != expectedLength) {
      throw reject(
          400, "IncompleteBody", "got " + length + " of the " + expectedLength + " bytes declared");
    }
    byte[] md5Bytes = md5.digest();
    if (contentMd5 != null
        && !Base64.getEncoder().encodeToString(md5Bytes).equals(contentMd5.strip())) {
      throw reject(400, "BadDigest", "the Content-MD5 you specified did not match what we got");
    }
    if (sha256 != null && !HEX.formatHex(sha256.digest()).equals(sha256Hex)) {
      throw reject(
          400,
          "XAmzContentSHA256Mismatch",
          "the provided x-amz-content-sha256 does not match what was computed");
    }
    Map<String, String> expected = new HashMap<>(declared);
    if (chunked != null) {
      chunked
          .trailers()
          .forEach(
              (name, value) -> {
                if (name.startsWith("x-amz-checksum-")) {
                  expected.put(name, value);
                }
              });
    }
    for (Map.Entry<String, Checksums.Running> checksum : running.entrySet()) {
      String value = expected.get(checksum.getKey());
      if (value == null) {
        throw reject(
            400, "InvalidRequest", "the declared trailer " + checksum.getKey() + " is missing");
      }
      if (!checksum.getValue().base64().equals(value)) {
        throw reject(
            400, "BadDigest", "the " + checksum.getKey() + " you specified did not match the body");
      }
    }
    md5Hex = HEX.formatHex(md5Bytes);
  }

  private static boolean isMd5(String base64) {
    try {
      return Base64.getDecoder().decode(base64).length == 16;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static BodyRejectedException reject(int status, String code, String message) {
    return new BodyRejectedException(new S3Exception(status, code, message));
  }
}
