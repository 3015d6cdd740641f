package io.raftfs.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

/**
 * The client side of raftfs's TLS for the blocking transport: wraps a connected socket, and the
 * handshake checks that the server's certificate chains to the cluster's CA, names the host it was
 * reached at (HTTPS endpoint identification: the certificates list the host's names and IPs), and
 * is a certificate of the role expected there, a master's or a data node's, so no data node can
 * pose as a master to hand out commands or block keys. The node the certificate names is read once,
 * here, and kept with the connection: callers that know which node they mean (a block's replica)
 * check it with {@link #requireNode} on every request, at the cost of comparing two strings.
 */
public final class ClientTls {
  private final ClientEngines engines;
  private final NodeName.Role peerRole;

  /**
   * @param identity what this process trusts and, for nodes, proves
   * @param peerRole what the servers reached with it must be
   */
  public ClientTls(TlsIdentity identity, NodeName.Role peerRole) {
    this(ClientEngines.of(identity), peerRole);
  }

  /** With the engines given, e.g. the JDK's where a test compares them. */
  public ClientTls(ClientEngines engines, NodeName.Role peerRole) {
    this.engines = engines;
    this.peerRole = peerRole;
  }

  public NodeName.Role peerRole() {
    return peerRole;
  }

  /**
   * A connection after a successful handshake: its streams, and the node its peer's certificate
   * names. Closing either stream closes the plain socket at once.
   */
  public record Handshake(InputStream input, OutputStream output, NodeName peer) {}

  /**
   * Runs the handshake over {@code plain}, connected to {@code host:port}, each read waiting at
   * most {@code timeoutMillis}.
   *
   * @throws javax.net.ssl.SSLException when the server is not the one expected or speaks no TLS; a
   *     {@link WrongNodeException} when its certificate is not of the expected role
   */
  public Handshake handshake(Socket plain, String host, int port, int timeoutMillis)
      throws IOException {
    EngineConnection tls = new EngineConnection(plain, engines.create(host, port));
    plain.setSoTimeout(timeoutMillis);
    tls.handshake();
    Certificate[] chain = tls.session().getPeerCertificates();
    NodeName peer =
        chain.length == 0 || !(chain[0] instanceof X509Certificate x509)
            ? null
            : NodeName.of(x509).orElse(null);
    if (peer == null || peer.role() != peerRole) {
      tls.close();
      throw new WrongNodeException(host + ":" + port, "a " + peerRole.label(), peer);
    }
    return new Handshake(tls.input(), tls.output(), peer);
  }

  /**
   * Passes when {@code peer}, the node a connection's handshake found at {@code address}, is the
   * node {@code nodeId} of this client's role.
   *
   * @param nodeId the node meant; empty when the caller does not know it (any node of the role)
   */
  public void requireNode(String address, NodeName peer, String nodeId) throws WrongNodeException {
    if (!nodeId.isEmpty() && !peer.id().equals(nodeId)) {
      throw new WrongNodeException(address, peerRole.label() + " " + nodeId, peer);
    }
  }
}
