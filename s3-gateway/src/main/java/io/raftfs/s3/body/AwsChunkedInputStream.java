package io.raftfs.s3.body;

import io.raftfs.auth.ChunkSignatureChain;
import io.raftfs.s3.S3Exception;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decodes S3's {@code aws-chunked} content encoding ({@code x-amz-content-sha256: STREAMING-...}):
 * {@code hex-size[;chunk-signature=...]CRLF data CRLF}, ending with a zero-size chunk and, with
 * {@code ...-TRAILER}, trailer lines such as {@code x-amz-checksum-crc32:...}. The AWS SDK for Java
 * v2 sends it by default for uploads over plain HTTP. Given the upload's {@link
 * ChunkSignatureChain} (its signing key comes from the masters, docs/security.md), every chunk's
 * signature is checked when the chunk ends and the trailer's when the trailers end, so a body that
 * was changed on the way fails before the upload is committed.
 */
public final class AwsChunkedInputStream extends InputStream {
  private static final int MAX_LINE = 4096;
  private static final int MAX_TRAILERS = 16;
  private static final String SIGNATURE_EXTENSION = "chunk-signature=";
  private static final String TRAILER_SIGNATURE = "x-amz-trailer-signature";

  private final InputStream in;
  private final ChunkSignatureChain signatures;
  private final MessageDigest chunkSha256;
  private final Map<String, String> trailers = new HashMap<>();
  private long chunkLeft;
  private String chunkSignature;
  private long chunks;
  private boolean done;

  /**
   * @param signatures checks the chunk and trailer signatures; null when the payload has none to
   *     check ({@code STREAMING-UNSIGNED-PAYLOAD-TRAILER}, or masters without auth)
   */
  public AwsChunkedInputStream(InputStream in, ChunkSignatureChain signatures) {
    this.in = in;
    this.signatures = signatures;
    this.chunkSha256 = signatures == null ? null : Checksums.newDigest("SHA-256");
  }

  /** Trailer headers by lower-case name; complete once the stream returned -1. */
  public Map<String, String> trailers() {
    return trailers;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] into, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    if (chunkLeft == 0) {
      if (done || !nextChunk()) {
        return -1;
      }
    }
    int count = in.read(into, offset, (int) Math.min(length, chunkLeft));
    if (count < 0) {
      throw malformed("the body ended inside a chunk");
    }
    if (chunkSha256 != null) {
      chunkSha256.update(into, offset, count);
    }
    chunkLeft -= count;
    if (chunkLeft == 0) {
      expectLineEnd();
      verifyChunk();
    }
    return count;
  }

  /** Reads a chunk header; false after the last (empty) chunk and its trailers. */
  private boolean nextChunk() throws IOException {
    String header = line();
    int semicolon = header.indexOf(';');
    String size = semicolon < 0 ? header : header.substring(0, semicolon);
    String extension = semicolon < 0 ? "" : header.substring(semicolon + 1).strip();
    chunkSignature =
        extension.startsWith(SIGNATURE_EXTENSION)
            ? extension.substring(SIGNATURE_EXTENSION.length())
            : null;
    try {
      chunkLeft = Long.parseLong(size.strip(), 16);
    } catch (NumberFormatException e) {
      throw malformed("bad chunk size " + size);
    }
    if (chunkLeft < 0) {
      throw malformed("bad chunk size " + size);
    }
    if (chunkLeft > 0) {
      return true;
    }
    verifyChunk();
    done = true;
    for (int i = 0; i <= MAX_TRAILERS; i++) {
      String trailer = lineOrEnd();
      if (trailer == null || trailer.isEmpty()) {
        verifyTrailers();
        return false;
      }
      int colon = trailer.indexOf(':');
      if (colon <= 0 || i == MAX_TRAILERS) {
        throw malformed("bad trailer " + trailer);
      }
      trailers.put(
          trailer.substring(0, colon).strip().toLowerCase(Locale.ROOT),
          trailer.substring(colon + 1).strip());
    }
    return false;
  }

  /** Checks the chunk just read (the empty last one too) against its signature in the chain. */
  private void verifyChunk() throws BodyRejectedException {
    chunks++;
    if (signatures == null) {
      return;
    }
    String expected = signatures.next(chunkSha256.digest());
    if (chunkSignature == null || !constantTimeEquals(expected, chunkSignature)) {
      throw signatureMismatch("the signature of chunk " + chunks + " does not match its data");
    }
  }

  /** Checks the trailers against {@code x-amz-trailer-signature}, if the chunks are signed. */
  private void verifyTrailers() throws BodyRejectedException {
    String signature = trailers.remove(TRAILER_SIGNATURE);
    if (signatures == null || trailers.isEmpty()) {
      return;
    }
    String expected = signatures.trailer(new TreeMap<>(trailers));
    if (signature == null || !constantTimeEquals(expected, signature)) {
      throw signatureMismatch("the trailer signature does not match the trailers");
    }
  }

  private static boolean constantTimeEquals(String expected, String given) {
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII));
  }

  private static BodyRejectedException signatureMismatch(String message) {
    return new BodyRejectedException(new S3Exception(403, "SignatureDoesNotMatch", message));
  }

  private void expectLineEnd() throws IOException {
    if (in.read() != '\r' || in.read() != '\n') {
      throw malformed("a chunk does not end with CRLF");
    }
  }

  private String line() throws IOException {
    String line = lineOrEnd();
    if (line == null) {
      throw malformed("the body ended before its last chunk");
    }
    return line;
  }

  /** A CRLF-terminated line without the CRLF, or null at the end of the input. */
  private String lineOrEnd() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(64);
    while (true) {
      int b = in.read();
      if (b < 0) {
        return line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII);
      }
      if (b == '\n') {
        String text = line.toString(StandardCharsets.US_ASCII);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
      }
      if (line.size() == MAX_LINE) {
        throw malformed("a chunk header or trailer is longer than " + MAX_LINE + " bytes");
      }
      line.write(b);
    }
  }

  private static BodyRejectedException malformed(String message) {
    return new BodyRejectedException(
        new S3Exception(400, "IncompleteBody", "malformed aws-chunked body: " + message));
  }
}
