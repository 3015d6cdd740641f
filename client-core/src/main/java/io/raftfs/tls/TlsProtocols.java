package io.raftfs.tls;

import java.util.List;

/**
 * The TLS versions and cipher suites every raftfs process offers and accepts: TLS 1.3, and TLS 1.2
 * with forward secrecy and authenticated encryption only (ECDHE with AES-GCM or ChaCha20-Poly1305),
 * as Mozilla's "intermediate" profile. Clients and servers use the same lists, so a peer that
 * offers only CBC or RSA key exchange fails the handshake.
 */
public final class TlsProtocols {
  private TlsProtocols() {}

  public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  public static final List<String> CIPHER_SUITES =
      List.of(
          "TLS_AES_128_GCM_SHA256",
          "TLS_AES_256_GCM_SHA384",
          "TLS_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
}
