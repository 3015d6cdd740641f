package io.raftfs.cli.certs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CRLException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Base64;

/**
 * Writes certificates, revocation lists and unencrypted PKCS#8 keys as PEM, the form {@link
 * io.raftfs.tls.PemFiles}, Vert.x and openssl read. A key file is created readable by its owner
 * only before a byte of the key is in it; no file but a revocation list is ever replaced.
 */
final class PemWriter {
  private PemWriter() {}

  static void certificate(Path file, X509Certificate certificate) throws IOException {
    try {
      write(file, pem("CERTIFICATE", certificate.getEncoded()), false);
    } catch (CertificateEncodingException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  static void privateKey(Path file, PrivateKey key) throws IOException {
    write(file, pem("PRIVATE KEY", key.getEncoded()), true);
  }

  /**
   * Writes {@code crl} to {@code file}, replacing what is there at once: the new list goes to a
   * file beside it, is fsynced, then renamed over it, so a process re-reading the file sees the old
   * list or the new one, never half of one.
   */
  static void replaceCrl(Path file, X509CRL crl) throws IOException {
    Path fresh = file.resolveSibling(file.getFileName() + ".new");
    Files.deleteIfExists(fresh);
    try {
      write(fresh, pem("X509 CRL", crl.getEncoded()), false);
    } catch (CRLException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
    Files.move(fresh, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static byte[] pem(String type, byte[] der) {
    String base64 =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return ("-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * @throws java.nio.file.FileAlreadyExistsException rather than replace a file
   */
  private static void write(Path file, byte[] content, boolean ownerOnly) throws IOException {
    boolean posix =
        Files.getFileAttributeView(file.toAbsolutePath().getParent(), PosixFileAttributeView.class)
            != null;
    if (posix) {
      Files.createFile(
          file,
          PosixFilePermissions.asFileAttribute(
              PosixFilePermissions.fromString(ownerOnly ? "rw-------" : "rw-r--r--")));
    } else {
      Files.createFile(file);
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
        OutputStream out = Channels.newOutputStream(channel)) {
      out.write(content);
      channel.force(true);
    }
  }
}
