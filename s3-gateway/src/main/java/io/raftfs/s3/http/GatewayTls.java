package io.raftfs.s3.http;

import io.raftfs.tls.TlsIdentity;
import io.raftfs.tls.TlsProtocols;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import java.util.Set;

/**
 * TLS on the S3 port, with the gateway's certificate from the cluster's CA and the protocols and
 * suites every raftfs listener offers ({@link TlsProtocols}). No client certificate is asked for:
 * S3 clients prove themselves with SigV4 signatures.
 */
public final class GatewayTls {
  private GatewayTls() {}

  public static HttpServerOptions apply(HttpServerOptions options, TlsIdentity tls) {
    options
        .setSsl(true)
        .setKeyCertOptions(KeyCertOptions.wrap(tls.keyManager().orElseThrow()))
        .setEnabledSecureTransportProtocols(Set.copyOf(TlsProtocols.PROTOCOLS));
    TlsProtocols.CIPHER_SUITES.forEach(options::addEnabledCipherSuite);
    return options;
  }
}
