package io.raftfs.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM files with the JDK alone: certificates ({@code CERTIFICATE} blocks), revocation lists
 * ({@code X509 CRL}) and an unencrypted PKCS#8 private key ({@code PRIVATE KEY}, EC or RSA), as
 * {@code raftfs admin} and {@code openssl genpkey} write them. Every failure is an {@link
 * IOException} whose message names the file and says what is wrong in one line.
 */
public final class PemFiles {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private PemFiles() {}

  /** The certificates in {@code file}, in order (a node's own first, then its issuers). */
  public static List<X509Certificate> certificates(Path file) throws IOException {
    List<X509Certificate> certificates = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (byte[] der : blocks(file, "CERTIFICATE")) {
        certificates.add(
            (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
      }
    } catch (CertificateException e) {
      throw new IOException(file + ": not a valid certificate (" + e.getMessage() + ")", e);
    }
    if (certificates.isEmpty()) {
      throw new IOException(file + ": no PEM CERTIFICATE in it");
    }
    return certificates;
  }

  /**
   * The certificate revocation lists in {@code file} ({@code X509 CRL} blocks), in order; none when
   * it holds none.
   */
  public static List<X509CRL> crls(Path file) throws IOException {
    List<X509CRL> crls = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (byte[] der : blocks(file, "X509 CRL")) {
        crls.add((X509CRL) factory.generateCRL(new ByteArrayInputStream(der)));
      }
    } catch (CertificateException | CRLException e) {
      throw new IOException(file + ": not a valid X509 CRL (" + e.getMessage() + ")", e);
    }
    return crls;
  }

  /**
   * The private key in {@code file}, which only its owner may read (as ssh refuses a key others can
   * read: it may already be out).
   */
  public static PrivateKey privateKey(Path file) throws IOException {
    PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    if (posix != null && Files.exists(file)) {
      Set<PosixFilePermission> permissions = posix.readAttributes().permissions();
      if (!OWNER_ONLY.containsAll(permissions)) {
        throw new IOException(
            file
                + " may be read by others ("
                + PosixFilePermissions.toString(permissions)
                + "): chmod 600 it, and issue a new key if others could read it");
      }
    }
    List<byte[]> keys = blocks(file, "PRIVATE KEY");
    if (keys.size() != 1) {
      throw new IOException(
          file + ": expected one unencrypted PKCS#8 PEM PRIVATE KEY, found " + keys.size());
    }
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(keys.get(0));
    for (String algorithm : List.of("EC", "RSA")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new IOException(file + ": the private key is neither EC nor RSA PKCS#8");
  }

  private static List<byte[]> blocks(Path file, String type) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new IOException(file + ": no such file", e);
    } catch (IOException e) {
      throw new IOException(file + ": cannot be read (" + e.getMessage() + ")", e);
    }
    List<byte[]> found = new ArrayList<>();
    Matcher matcher = BLOCK.matcher(text);
    while (matcher.find()) {
      if (matcher.group(1).equals(type)) {
        try {
          found.add(Base64.getMimeDecoder().decode(matcher.group(2)));
        } catch (IllegalArgumentException e) {
          throw new IOException(file + ": a " + type + " block is not valid base64", e);
        }
      }
    }
    return found;
  }
}
