package io.raftfs.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * What a process proves and trusts in TLS, loaded from PEM files: the cluster's CA certificate (the
 * only one trusted: the JDK's public CAs are not), optionally the CA's revocation lists (then a
 * revoked certificate fails the handshake; the file is re-read when it changes, see {@link
 * RevocationList}), and for masters and data nodes their own certificate and key. Loaded once at
 * start, so a missing or unreadable file stops the process with one line naming it.
 *
 * <pre>{@code
 * TlsIdentity node = TlsIdentity.load(Path.of("ca.pem"), Path.of("node.pem"), Path.of("node.key"));
 * TlsIdentity client = TlsIdentity.trusting(Path.of("ca.pem"), Path.of("crl.pem"));
 * }</pre>
 */
public final class TlsIdentity {
  private static final char[] NO_PASSWORD = new char[0];

  private static final System.Logger LOG = System.getLogger(TlsIdentity.class.getName());

  private final X509TrustManager trustManager;
  private final RevocationList revocations; // null: nothing is revoked
  private final X509KeyManager keyManager; // null for a client without a certificate
  private final NodeName self; // null without a node certificate
  private final SSLContext context;

  private TlsIdentity(Trust trust, X509KeyManager keyManager, NodeName self) {
    this.trustManager = trust.manager();
    this.revocations = trust.revocations();
    this.keyManager = keyManager;
    this.self = self;
    try {
      context = SSLContext.getInstance("TLS");
      context.init(
          keyManager == null ? null : new KeyManager[] {keyManager},
          new TrustManager[] {trustManager},
          null);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no TLS: " + e.getMessage(), e);
    }
    if (revocations != null) {
      // A resumed session skips the peer's certificate: resume none older than a re-read of the
      // lists, so a server revoked since is checked again at the next connection.
      int seconds = (int) sessionTimeoutSeconds().getAsLong();
      context.getClientSessionContext().setSessionTimeout(seconds);
      context.getServerSessionContext().setSessionTimeout(seconds);
    }
  }

  /** Trusts {@code caFile}'s certificates and proves nothing: a client's. */
  public static TlsIdentity trusting(Path caFile) throws IOException {
    return trusting(caFile, null);
  }

  /**
   * Trusts {@code caFile}'s certificates but those {@code crlFile} (null: none) revoked, and proves
   * nothing: a client's. A failed re-read of the revocation lists goes to the platform log.
   */
  public static TlsIdentity trusting(Path caFile, Path crlFile) throws IOException {
    return new TlsIdentity(
        trust(caFile, crlFile, warning -> LOG.log(System.Logger.Level.WARNING, warning)),
        null,
        null);
  }

  /** Trusts {@code caFile} and proves itself with the certificate chain and key in the others. */
  public static TlsIdentity load(Path caFile, Path certFile, Path keyFile) throws IOException {
    return load(caFile, certFile, keyFile, null, warning -> {});
  }

  /**
   * Trusts {@code caFile} but the certificates {@code crlFile} (null: none) revoked, and proves
   * itself with the certificate chain and key in the others.
   *
   * @param warnings where refused revoked client certificates and failed re-reads of the revocation
   *     lists are reported, one line each (a server's log)
   */
  public static TlsIdentity load(
      Path caFile, Path certFile, Path keyFile, Path crlFile, Consumer<String> warnings)
      throws IOException {
    Trust trust = trust(caFile, crlFile, warnings);
    List<X509Certificate> chain = PemFiles.certificates(certFile);
    PrivateKey key = PemFiles.privateKey(keyFile);
    try {
      trust.manager().checkClientTrusted(chain.toArray(X509Certificate[]::new), key.getAlgorithm());
    } catch (java.security.cert.CertificateException e) {
      throw new IOException(
          certFile
              + ": not issued by the CA in "
              + caFile
              + ", expired or revoked ("
              + e.getMessage()
              + ")",
          e);
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("self", key, NO_PASSWORD, chain.toArray(X509Certificate[]::new));
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, NO_PASSWORD);
      return new TlsIdentity(
          trust,
          (X509KeyManager) factory.getKeyManagers()[0],
          NodeName.of(chain.get(0)).orElse(null));
    } catch (GeneralSecurityException e) {
      throw new IOException(
          keyFile + ": does not go with the certificate in " + certFile + " (" + e + ")", e);
    }
  }

  /** A trust manager and, when it checks revocations, the lists it checks against. */
  private record Trust(X509TrustManager manager, RevocationList revocations) {}

  private static Trust trust(Path caFile, Path crlFile, Consumer<String> warnings)
      throws IOException {
    List<X509Certificate> authorities = PemFiles.certificates(caFile);
    KeyStore store;
    try {
      store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < authorities.size(); i++) {
        store.setCertificateEntry("ca-" + i, authorities.get(i));
      }
      if (crlFile == null) {
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(store);
        return new Trust((X509TrustManager) factory.getTrustManagers()[0], null);
      }
    } catch (GeneralSecurityException | IOException e) {
      throw new IOException(caFile + ": cannot be used as the CA (" + e.getMessage() + ")", e);
    }
    RevocationList revocations = RevocationList.load(crlFile, authorities, warnings);
    try {
      return new Trust(new CrlTrustManager(store, revocations, warnings), revocations);
    } catch (GeneralSecurityException e) {
      throw new IOException(crlFile + ": cannot be used (" + e.getMessage() + ")", e);
    }
  }

  /** Checks peers' certificates against the cluster's CA, and nothing else. */
  public X509TrustManager trustManager() {
    return trustManager;
  }

  /**
   * Why a peer's {@code certificate} may no longer be used (one line naming its serial), or empty
   * when it was not revoked or no revocation lists are configured. For connections made before the
   * revocation, which the handshake let through.
   */
  public Optional<String> revocation(X509Certificate certificate) {
    return revocations == null ? Optional.empty() : revocations.revocation(certificate);
  }

  /** This process's certificate and key; empty for a client. */
  public Optional<X509KeyManager> keyManager() {
    return Optional.ofNullable(keyManager);
  }

  /** The node this process's certificate names; empty for a client. */
  public Optional<NodeName> self() {
    return Optional.ofNullable(self);
  }

  /**
   * How long a TLS session may be resumed, when it must be shorter than the default: with
   * revocation lists, no longer than a re-read of them, so a peer revoked since is checked again.
   */
  public OptionalLong sessionTimeoutSeconds() {
    return revocations == null
        ? OptionalLong.empty()
        : OptionalLong.of(RevocationList.RECHECK.toSeconds());
  }

  /** A context with both, for the JDK's clients and servers. */
  public SSLContext sslContext() {
    return context;
  }
}
