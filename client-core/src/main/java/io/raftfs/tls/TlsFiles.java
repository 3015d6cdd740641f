package io.raftfs.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Where a master's or data node's TLS files are: the cluster's CA certificate, its own certificate
 * (chain) and its private key, all PEM, and optionally the CA's revocation lists. {@link #load}
 * reads and checks them.
 *
 * @param crlFile the CA's revocation lists (PEM {@code X509 CRL}); null: none revoked
 */
public record TlsFiles(Path caFile, Path certFile, Path keyFile, Path crlFile) {
  public TlsFiles {
    Objects.requireNonNull(caFile, "caFile");
    Objects.requireNonNull(certFile, "certFile");
    Objects.requireNonNull(keyFile, "keyFile");
  }

  /** Without revocation lists. */
  public TlsFiles(Path caFile, Path certFile, Path keyFile) {
    this(caFile, certFile, keyFile, null);
  }

  /**
   * @throws IOException naming the file that is missing, unreadable, open to others (the key), not
   *     PEM, or not issued by the CA
   */
  public TlsIdentity load() throws IOException {
    return load(warning -> {});
  }

  /**
   * {@link #load()}, reporting refused revoked certificates and failed re-reads of the revocation
   * lists to {@code warnings}.
   */
  public TlsIdentity load(Consumer<String> warnings) throws IOException {
    return TlsIdentity.load(caFile, certFile, keyFile, crlFile, warnings);
  }
}
