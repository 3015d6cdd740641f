package io.raftfs.s3.body;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * The {@code x-amz-checksum-*} algorithms a gateway checks: CRC32, CRC32C, SHA1 and SHA256, each
 * answered base64-encoded (CRCs as 4 big-endian bytes), as S3 clients send them.
 */
final class Checksums {
  private Checksums() {}

  /** A running checksum of one algorithm. */
  interface Running {
    void update(byte[] bytes, int offset, int length);

    /** The base64 value of everything updated so far. */
    String base64();
  }

  /** The running checksum of {@code x-amz-checksum-<algorithm>}, or null if not one checked. */
  static Running forHeader(String headerName) {
    String algorithm = headerName.substring("x-amz-checksum-".length()).toLowerCase(Locale.ROOT);
    return switch (algorithm) {
      case "crc32" -> crc(new CRC32());
      case "crc32c" -> crc(new CRC32C());
      case "sha1" -> digest("SHA-1");
      case "sha256" -> digest("SHA-256");
      default -> null;
    };
  }

  private static Running crc(Checksum crc) {
    return new Running() {
      @Override
      public void update(byte[] bytes, int offset, int length) {
        crc.update(bytes, offset, length);
      }

      @Override
      public String base64() {
        long value = crc.getValue();
        byte[] big = {
          (byte) (value >> 24), (byte) (value >> 16), (byte) (value >> 8), (byte) value
        };
        return Base64.getEncoder().encodeToString(big);
      }
    };
  }

  private static Running digest(String algorithm) {
    MessageDigest digest = newDigest(algorithm);
    return new Running() {
      @Override
      public void update(byte[] bytes, int offset, int length) {
        digest.update(bytes, offset, length);
      }

      @Override
      public String base64() {
        return Base64.getEncoder().encodeToString(digest.digest());
      }
    };
  }

  static MessageDigest newDigest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has " + algorithm, e);
    }
  }
}
