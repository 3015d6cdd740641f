package io.raftfs.testing.cluster;

import io.raftfs.cli.certs.CertificateAuthority;
import io.raftfs.tls.NodeName;
import io.raftfs.tls.PemFiles;
import io.raftfs.tls.TlsFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A test cluster's CA, its revocation list and its nodes' certificates under one directory ({@code
 * ca/}, {@code nodes/ID.pem|key}), made with {@code raftfs admin}'s {@link CertificateAuthority}:
 * every certificate names 127.0.0.1 and localhost. A node's certificate is made once and found
 * again on a restart. Every process is given the revocation list, which {@link #revoke} extends.
 */
public final class ClusterCertificates {
  private static final Duration VALIDITY = Duration.ofDays(2);

  private final Path dir;
  private final CertificateAuthority ca;

  private ClusterCertificates(Path dir, CertificateAuthority ca) {
    this.dir = dir;
    this.ca = ca;
  }

  /** The CA in {@code dir}, made there first if there is none. */
  public static ClusterCertificates in(Path dir) {
    try {
      Path caDir = dir.resolve("ca");
      return new ClusterCertificates(
          dir,
          Files.exists(caDir.resolve(CertificateAuthority.CERT_FILE))
              ? CertificateAuthority.load(caDir)
              : CertificateAuthority.create(caDir, VALIDITY));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The CA certificate, what clients trust. */
  public Path caFile() {
    return dir.resolve("ca").resolve(CertificateAuthority.CERT_FILE);
  }

  /** The CA's revocation list, what every process checks. */
  public Path crlFile() {
    return ca.crlFile();
  }

  /** Adds {@code files}' certificate to the revocation list; the processes re-read it. */
  public void revoke(TlsFiles files) {
    try {
      ca.revoke(PemFiles.certificates(files.certFile()).get(0).getSerialNumber());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public TlsFiles master(String id) {
    return node(new NodeName(NodeName.Role.MASTER, id));
  }

  public TlsFiles dataNode(String id) {
    return node(new NodeName(NodeName.Role.DATANODE, id));
  }

  /** {@code node}'s files, issued now unless they were before. */
  public synchronized TlsFiles node(NodeName node) {
    Path nodes = dir.resolve("nodes").resolve(node.role().label());
    Path certFile = nodes.resolve(node.id() + ".pem");
    try {
      if (!Files.exists(certFile)) {
        ca.issue(node, List.of("127.0.0.1", "localhost"), nodes, VALIDITY);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new TlsFiles(caFile(), certFile, nodes.resolve(node.id() + ".key"), crlFile());
  }
}
