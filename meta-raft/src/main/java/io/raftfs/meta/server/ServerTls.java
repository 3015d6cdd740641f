package io.raftfs.meta.server;

import io.raftfs.tls.TlsIdentity;
import io.raftfs.tls.TlsProtocols;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * TLS on the master's HTTP port. Client certificates are requested, not required: clients prove
 * themselves with signed requests, data nodes with their node certificate, and a certificate that
 * is presented must come from the cluster's CA or the handshake fails.
 */
final class ServerTls {
  private ServerTls() {}

  static void apply(HttpServerOptions options, TlsIdentity tls) {
    options
        .setSsl(true)
        .setKeyCertOptions(KeyCertOptions.wrap(tls.keyManager().orElseThrow()))
        .setTrustOptions(TrustOptions.wrap(tls.trustManager()))
        .setClientAuth(ClientAuth.REQUEST)
        .setEnabledSecureTransportProtocols(Set.copyOf(TlsProtocols.PROTOCOLS));
    TlsProtocols.CIPHER_SUITES.forEach(options::addEnabledCipherSuite);
  }

  /** The client's certificates, the node's own first; empty without TLS or without one. */
  static List<Certificate> peerCertificates(HttpServerRequest request) {
    if (!request.isSSL()) {
      return List.of();
    }
    try {
      return request.connection().peerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return List.of();
    }
  }
}
