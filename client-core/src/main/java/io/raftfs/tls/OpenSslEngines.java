package io.raftfs.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import javax.net.ssl.SSLException;

/**
 * BoringSSL's client engines through Netty. Loaded only after {@link ClientEngines} found Netty on
 * the class path. The engines are of the kind whose native state is freed when they are collected,
 * not by reference counting: a watchdog may close a connection while its reader is inside the
 * engine, and a count released then would free memory still in use.
 */
final class OpenSslEngines {
  private OpenSslEngines() {}

  static boolean available() {
    return OpenSsl.isAvailable();
  }

  static ClientEngines of(TlsIdentity identity) {
    SslContextBuilder builder =
        SslContextBuilder.forClient()
            .sslProvider(SslProvider.OPENSSL)
            .trustManager(identity.trustManager())
            .protocols(TlsProtocols.PROTOCOLS)
            .ciphers(TlsProtocols.CIPHER_SUITES)
            .endpointIdentificationAlgorithm("HTTPS");
    identity.keyManager().ifPresent(builder::keyManager);
    identity.sessionTimeoutSeconds().ifPresent(builder::sessionTimeout);
    SslContext context;
    try {
      context = builder.build();
    } catch (SSLException e) {
      // BoringSSL loaded but refused the settings: the JDK does the same work, slower.
      return ClientEngines.jdk(identity);
    }
    return ClientEngines.named(
        "BoringSSL", (host, port) -> context.newEngine(ByteBufAllocator.DEFAULT, host, port));
  }
}
