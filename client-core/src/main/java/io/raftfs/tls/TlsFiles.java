package io.raftfs.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a master's or data node's TLS files are: the cluster's CA certificate, its own certificate
 * (chain) and its private key, all PEM. {@link #load} reads and checks them.
 */
public record TlsFiles(Path caFile, Path certFile, Path keyFile) {
  public TlsFiles {
    Objects.requireNonNull(caFile, "caFile");
    Objects.requireNonNull(certFile, "certFile");
    Objects.requireNonNull(keyFile, "keyFile");
  }

  /**
   * @throws IOException naming the file that is missing, unreadable, open to others (the key), not
   *     PEM, or not issued by the CA
   */
  public TlsIdentity load() throws IOException {
    return TlsIdentity.load(caFile, certFile, keyFile);
  }
}
