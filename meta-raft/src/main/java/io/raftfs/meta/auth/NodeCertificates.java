package io.raftfs.meta.auth;

import io.raftfs.tls.NodeName;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Whether a connection may speak for a data node: over TLS its client certificate (already checked
 * against the cluster's CA in the handshake) must be a data node's naming that node id.
 * Registration, heartbeats, block reports and bad-replica reports pass through here, so a node, or
 * anyone holding its key, can speak only for itself: not redirect another node's address, take its
 * commands or empty its replicas with a full report.
 */
public final class NodeCertificates {
  private NodeCertificates() {}

  /**
   * @param peerChain the connection's client certificates, empty when it sent none
   * @throws NodeCertificateException with a one-line reason when they do not name {@code nodeId}
   */
  public static void requireDataNode(List<Certificate> peerChain, String nodeId)
      throws NodeCertificateException {
    NodeName peer =
        peerChain.isEmpty() || !(peerChain.get(0) instanceof X509Certificate certificate)
            ? null
            : NodeName.of(certificate).orElse(null);
    if (peer == null) {
      throw new NodeCertificateException(
          "reports for data node " + nodeId + " need that node's certificate; none was presented");
    }
    if (peer.role() != NodeName.Role.DATANODE || !peer.id().equals(nodeId)) {
      throw new NodeCertificateException(
          "the certificate names " + peer + ", not data node " + nodeId);
    }
  }
}
