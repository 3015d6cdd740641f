package io.raftfs.data.tls;

import io.raftfs.tls.TlsIdentity;
import io.raftfs.tls.TlsProtocols;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.util.Set;

/**
 * TLS on the data node's Vert.x server and client. The server requests a client certificate but
 * does not require one: clients prove their right to a block with a block token, data nodes
 * forwarding a chain or a copy also present their node certificate, and any certificate presented
 * must come from the cluster's CA or the handshake fails. The client (forwarding, copies) trusts
 * the cluster's CA only and checks that the next node's certificate names the host it dialled;
 * {@link NodeClient} then checks that it names the data node meant.
 */
public final class NodeTls {
  private NodeTls() {}

  public static HttpServerOptions server(HttpServerOptions options, TlsIdentity tls) {
    options
        .setSsl(true)
        .setSslEngineOptions(TlsEngine.options())
        .setKeyCertOptions(KeyCertOptions.wrap(tls.keyManager().orElseThrow()))
        .setTrustOptions(TrustOptions.wrap(tls.trustManager()))
        .setClientAuth(ClientAuth.REQUEST)
        .setEnabledSecureTransportProtocols(Set.copyOf(TlsProtocols.PROTOCOLS));
    TlsProtocols.CIPHER_SUITES.forEach(options::addEnabledCipherSuite);
    return options;
  }

  public static HttpClientOptions client(HttpClientOptions options, TlsIdentity tls) {
    options
        .setSsl(true)
        .setSslEngineOptions(TlsEngine.options())
        .setVerifyHost(true)
        .setKeyCertOptions(KeyCertOptions.wrap(tls.keyManager().orElseThrow()))
        .setTrustOptions(TrustOptions.wrap(tls.trustManager()));
    options.setEnabledSecureTransportProtocols(Set.copyOf(TlsProtocols.PROTOCOLS));
    TlsProtocols.CIPHER_SUITES.forEach(options::addEnabledCipherSuite);
    return options;
  }
}
