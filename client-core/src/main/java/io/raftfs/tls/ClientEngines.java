package io.raftfs.tls;

import java.util.function.BiFunction;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * Where a client's TLS engines come from: BoringSSL (netty-tcnative, in the distribution for Linux
 * x86-64) where its classes are on the class path and its library loads, else the JDK. The JDK's
 * AES-GCM runs interpreted until the JIT has compiled it, which in a command that moves one file is
 * much of its run, and is slower after; BoringSSL's is native from the first byte. Both offer the
 * same protocols and suites ({@link TlsProtocols}) and check the server's name the same way.
 *
 * <pre>{@code
 * ClientEngines engines = ClientEngines.of(TlsIdentity.trusting(caFile));
 * SSLEngine engine = engines.create("127.0.0.1", 9866);
 * }</pre>
 */
public final class ClientEngines {
  private static final String OPENSSL_CLASS = "io.netty.handler.ssl.OpenSsl";

  private final String name;
  private final BiFunction<String, Integer, SSLEngine> factory;

  private ClientEngines(String name, BiFunction<String, Integer, SSLEngine> factory) {
    this.name = name;
    this.factory = factory;
  }

  /** BoringSSL's engines where they load, else the JDK's, trusting and proving {@code identity}. */
  public static ClientEngines of(TlsIdentity identity) {
    if (openSslLoadable()) {
      try {
        return OpenSslEngines.of(identity);
      } catch (LinkageError e) {
        // Another Netty than the one built against (e.g. Hadoop's 4.1): the JDK's, then.
      }
    }
    return jdk(identity);
  }

  /** The JDK's engines, whatever else is on the class path. */
  public static ClientEngines jdk(TlsIdentity identity) {
    return new ClientEngines(
        "JDK",
        (host, port) -> {
          SSLEngine engine = identity.sslContext().createSSLEngine(host, port);
          engine.setUseClientMode(true);
          SSLParameters parameters = engine.getSSLParameters();
          parameters.setProtocols(TlsProtocols.PROTOCOLS.toArray(String[]::new));
          parameters.setCipherSuites(TlsProtocols.CIPHER_SUITES.toArray(String[]::new));
          parameters.setEndpointIdentificationAlgorithm("HTTPS");
          engine.setSSLParameters(parameters);
          return engine;
        });
  }

  static ClientEngines named(String name, BiFunction<String, Integer, SSLEngine> factory) {
    return new ClientEngines(name, factory);
  }

  /** A client engine for a connection to {@code host:port}, its handshake not begun. */
  public SSLEngine create(String host, int port) {
    return factory.apply(host, port);
  }

  /** "BoringSSL" or "JDK". */
  public String name() {
    return name;
  }

  // Netty is optional for the client library (the Hadoop file system runs beside Hadoop's own
  // Netty): look for it before touching a class that names it.
  private static boolean openSslLoadable() {
    try {
      Class.forName(OPENSSL_CLASS, false, ClientEngines.class.getClassLoader());
      return OpenSslEngines.available();
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
