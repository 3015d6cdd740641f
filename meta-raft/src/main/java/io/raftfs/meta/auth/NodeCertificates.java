package io.raftfs.meta.auth;

import io.raftfs.tls.NodeName;
import io.raftfs.tls.TlsIdentity;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Whether a connection may speak for a data node: over TLS its client certificate (already checked
 * against the cluster's CA in the handshake) must be a data node's naming that node id, and not
 * revoked since the connection was made. Registration, heartbeats, block reports and bad-replica
 * reports pass through here, so a node, or anyone holding its key, can speak only for itself: not
 * redirect another node's address, take its commands or empty its replicas with a full report; and
 * a node whose certificate was revoked is refused at its next report, even on a kept-alive
 * connection (a lookup in the revocation list, which is re-read when it changes).
 */
public final class NodeCertificates {
  private final TlsIdentity tls;

  /** Checking against {@code tls}'s revocation lists (if it has any). */
  public NodeCertificates(TlsIdentity tls) {
    this.tls = tls;
  }

  /**
   * @param peerChain the connection's client certificates, empty when it sent none
   * @throws NodeCertificateException with a one-line reason when they do not name {@code nodeId}
   */
  public void requireDataNode(List<Certificate> peerChain, String nodeId)
      throws NodeCertificateException {
    X509Certificate certificate =
        peerChain.isEmpty() || !(peerChain.get(0) instanceof X509Certificate x509) ? null : x509;
    NodeName peer = certificate == null ? null : NodeName.of(certificate).orElse(null);
    if (peer == null) {
      throw new NodeCertificateException(
          "reports for data node " + nodeId + " need that node's certificate; none was presented");
    }
    if (peer.role() != NodeName.Role.DATANODE || !peer.id().equals(nodeId)) {
      throw new NodeCertificateException(
          "the certificate names " + peer + ", not data node " + nodeId);
    }
    String revoked = tls.revocation(certificate).orElse(null);
    if (revoked != null) {
      throw new NodeCertificateException(revoked);
    }
  }
}
