package io.raftfs.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/** Files of pseudo-random bytes and their SHA-256. */
public final class TestFiles {
  private TestFiles() {}

  /** Writes {@code length} bytes drawn from {@code seed} without holding them in memory. */
  public static Path random(Path file, long length, long seed) throws IOException {
    Random random = new Random(seed);
    byte[] buffer = new byte[64 << 10];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = length; left > 0; ) {
        random.nextBytes(buffer);
        int n = (int) Math.min(buffer.length, left);
        out.write(buffer, 0, n);
        left -= n;
      }
    }
    return file;
  }

  public static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return sha256(in);
    }
  }

  public static String sha256(byte[] bytes) throws IOException {
    return sha256(new java.io.ByteArrayInputStream(bytes));
  }

  private static String sha256(InputStream in) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
    try (DigestInputStream digesting = new DigestInputStream(in, digest)) {
      digesting.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
