package io.raftfs.data.tls;

import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;

/**
 * The TLS implementation of the data node's server and client: BoringSSL (netty-tcnative, shipped
 * for Linux x86-64) where it loads, else the JDK's. Every byte of a block crosses TLS up to five
 * times on its way through a chain of three nodes, and the JDK engine's record processing made
 * secured puts less than half as fast as plaintext ones (docs/performance.md); BoringSSL does the
 * same AES-GCM with a fraction of the CPU. Both offer the same protocols and suites ({@link
 * io.raftfs.tls.TlsProtocols}).
 */
public final class TlsEngine {
  private TlsEngine() {}

  public static SSLEngineOptions options() {
    return OpenSSLEngineOptions.isAvailable()
        ? new OpenSSLEngineOptions().setSessionCacheEnabled(true)
        : new JdkSSLEngineOptions();
  }

  /** For the start-up log line. */
  public static String describe() {
    return OpenSSLEngineOptions.isAvailable() ? "BoringSSL" : "JDK";
  }
}
