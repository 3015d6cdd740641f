package io.raftfs.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertStore;
import java.security.cert.CertificateException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.X509CRL;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts the cluster's CA as the JDK's PKIX trust manager does, and refuses the certificates it
 * revoked: PKIX path validation with the {@link RevocationList}'s CRLs as a {@code CertStore} and a
 * revocation checker that consults nothing else (no OCSP, no CRL distribution points: a cluster has
 * neither). The JDK's manager is rebuilt when the list changes. A refusal for revocation says which
 * serial; one of a client certificate (a server refusing a node) is also reported to {@code
 * refusals}, for the server's log.
 */
final class CrlTrustManager extends X509ExtendedTrustManager {
  private final KeyStore anchors;
  private final RevocationList revocations;
  private final Consumer<String> refusals;
  private volatile Built built;

  /** The JDK's manager for one version of the lists. */
  private record Built(List<X509CRL> crls, X509ExtendedTrustManager manager) {}

  CrlTrustManager(KeyStore anchors, RevocationList revocations, Consumer<String> refusals)
      throws GeneralSecurityException {
    this.anchors = anchors;
    this.revocations = revocations;
    this.refusals = refusals;
    List<X509CRL> crls = revocations.crls();
    this.built = new Built(crls, build(anchors, crls));
  }

  private static X509ExtendedTrustManager build(KeyStore anchors, List<X509CRL> crls)
      throws GeneralSecurityException {
    PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, new X509CertSelector());
    PKIXRevocationChecker checker =
        (PKIXRevocationChecker) CertPathValidator.getInstance("PKIX").getRevocationChecker();
    // CRLs only, from the store below; a node certificate's path is itself and the CA.
    checker.setOptions(
        EnumSet.of(
            PKIXRevocationChecker.Option.PREFER_CRLS,
            PKIXRevocationChecker.Option.NO_FALLBACK,
            PKIXRevocationChecker.Option.ONLY_END_ENTITY));
    parameters.setRevocationEnabled(true);
    parameters.addCertPathChecker(checker);
    parameters.addCertStore(
        CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls)));
    TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
    factory.init(new CertPathTrustManagerParameters(parameters));
    return (X509ExtendedTrustManager) factory.getTrustManagers()[0];
  }

  private X509ExtendedTrustManager manager() throws CertificateException {
    List<X509CRL> crls = revocations.crls();
    Built current = built;
    if (current.crls() != crls) {
      try {
        current = new Built(crls, build(anchors, crls));
      } catch (GeneralSecurityException e) {
        throw new CertificateException("cannot check revocations: " + e.getMessage(), e);
      }
      built = current;
    }
    return current.manager();
  }

  /** {@code e}, or when the certificate was revoked an exception saying which and when. */
  private CertificateException explained(
      X509Certificate[] chain, CertificateException e, boolean client) {
    if (chain.length == 0) {
      return e;
    }
    String reason = revocations.revocation(chain[0]).orElse(null);
    if (reason == null) {
      return e;
    }
    if (client) {
      refusals.accept("refused a client certificate: " + reason);
    }
    return new CertificateException(reason, e);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    try {
      manager().checkClientTrusted(chain, authType, socket);
    } catch (CertificateException e) {
      throw explained(chain, e, true);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    try {
      manager().checkClientTrusted(chain, authType, engine);
    } catch (CertificateException e) {
      throw explained(chain, e, true);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    try {
      manager().checkClientTrusted(chain, authType);
    } catch (CertificateException e) {
      throw explained(chain, e, true);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    try {
      manager().checkServerTrusted(chain, authType, socket);
    } catch (CertificateException e) {
      throw explained(chain, e, false);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    try {
      manager().checkServerTrusted(chain, authType, engine);
    } catch (CertificateException e) {
      throw explained(chain, e, false);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    try {
      manager().checkServerTrusted(chain, authType);
    } catch (CertificateException e) {
      throw explained(chain, e, false);
    }
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return built.manager().getAcceptedIssuers();
  }
}
