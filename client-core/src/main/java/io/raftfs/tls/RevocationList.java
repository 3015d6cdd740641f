package io.raftfs.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The certificates the cluster's CA revoked: X.509 CRLs in a PEM file ({@code X509 CRL} blocks, as
 * {@code raftfs admin cert revoke} and {@code openssl ca -gencrl} write them), one signed by each
 * CA of the trusted file. The file is re-read when it changes, so revoking needs no restart: the
 * handshake that comes along looks at its modification time and size, at most every {@link
 * #RECHECK} (no thread of its own, nothing per connection in between). A file that cannot be read
 * or verified stops a process at start; later it keeps the lists read before, and says so.
 */
public final class RevocationList {
  /** How often the file's modification time is looked at, at most. */
  public static final Duration RECHECK = Duration.ofSeconds(2);

  private final Path file;
  private final List<X509Certificate> authorities;
  private final Consumer<String> warnings;
  private volatile Loaded loaded;
  private volatile long nextCheckNanos;

  /** The lists of one version of the file, and what it looked like when read. */
  private record Loaded(FileTime modified, long size, List<X509CRL> crls) {}

  private RevocationList(Path file, List<X509Certificate> authorities, Consumer<String> warnings) {
    this.file = file;
    this.authorities = List.copyOf(authorities);
    this.warnings = warnings;
  }

  /**
   * @param authorities the trusted CAs: each must have signed one list of the file
   * @param warnings where a failed re-read is reported
   * @throws IOException naming the file and what is wrong with it
   */
  public static RevocationList load(
      Path file, List<X509Certificate> authorities, Consumer<String> warnings) throws IOException {
    RevocationList list = new RevocationList(file, authorities, warnings);
    list.loaded = list.read();
    list.nextCheckNanos = System.nanoTime() + RECHECK.toNanos();
    return list;
  }

  public Path file() {
    return file;
  }

  /**
   * The lists now: re-read first when the file changed since it was last looked at (at most every
   * {@link #RECHECK}). The same instance as long as the file did not change.
   */
  public List<X509CRL> crls() {
    if (System.nanoTime() - nextCheckNanos >= 0) {
      refresh();
    }
    return loaded.crls();
  }

  /**
   * Why {@code certificate} may no longer be used, in one line naming its serial, or empty when it
   * was not revoked.
   */
  public Optional<String> revocation(X509Certificate certificate) {
    for (X509CRL crl : crls()) {
      X509CRLEntry entry =
          crl.getIssuerX500Principal().equals(certificate.getIssuerX500Principal())
              ? crl.getRevokedCertificate(certificate)
              : null;
      if (entry != null) {
        return Optional.of(
            "certificate serial "
                + certificate.getSerialNumber().toString(16)
                + NodeName.of(certificate).map(node -> " (" + node + ")").orElse("")
                + " was revoked at "
                + entry.getRevocationDate().toInstant()
                + " ("
                + file
                + ")");
      }
    }
    return Optional.empty();
  }

  private synchronized void refresh() {
    long now = System.nanoTime();
    if (now - nextCheckNanos < 0) {
      return; // another thread just did
    }
    nextCheckNanos = now + RECHECK.toNanos();
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      Loaded current = loaded;
      if (attributes.lastModifiedTime().equals(current.modified())
          && attributes.size() == current.size()) {
        return;
      }
      loaded = read();
    } catch (IOException e) {
      warnings.accept(e.getMessage() + "; the revocation list read before still holds");
    }
  }

  private Loaded read() throws IOException {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new IOException(file + ": no such file", e);
    }
    List<X509CRL> crls = PemFiles.crls(file);
    Date now = new Date();
    for (X509Certificate authority : authorities) {
      X509CRL crl = ofAuthority(crls, authority);
      if (crl == null) {
        throw new IOException(
            file
                + ": no revocation list signed by the CA "
                + authority.getSubjectX500Principal()
                + " (raftfs admin ca init makes one with the CA)");
      }
      if (crl.getNextUpdate() == null || crl.getNextUpdate().before(now)) {
        throw new IOException(
            file
                + ": the revocation list of "
                + authority.getSubjectX500Principal()
                + " is out of date (next update "
                + crl.getNextUpdate()
                + "); make a new one with raftfs admin cert revoke");
      }
    }
    return new Loaded(attributes.lastModifiedTime(), attributes.size(), List.copyOf(crls));
  }

  /** The list of {@code crls} that {@code authority} signed, or null. */
  private static X509CRL ofAuthority(List<X509CRL> crls, X509Certificate authority) {
    for (X509CRL crl : crls) {
      if (crl.getIssuerX500Principal().equals(authority.getSubjectX500Principal())) {
        try {
          crl.verify(authority.getPublicKey());
          return crl;
        } catch (GeneralSecurityException e) {
          // another CA of the same name, or a forged list: not this authority's
        }
      }
    }
    return null;
  }
}
