package io.raftfs.tls;

import java.io.IOException;
import java.net.Socket;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

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
  private final SSLSocketFactory factory;
  private final NodeName.Role peerRole;

  /**
   * @param identity what this process trusts and, for nodes, proves
   * @param peerRole what the servers reached with it must be
   */
  public ClientTls(TlsIdentity identity, NodeName.Role peerRole) {
    this.factory = identity.sslContext().getSocketFactory();
    this.peerRole = peerRole;
  }

  public NodeName.Role peerRole() {
    return peerRole;
  }

  /** A socket after a successful handshake, and the node its peer's certificate names. */
  public record Handshake(SSLSocket socket, NodeName peer) {}

  /**
   * Runs the handshake over {@code plain}, connected to {@code host:port}, each read waiting at
   * most {@code timeoutMillis}. Closing the result's socket closes {@code plain}.
   *
   * @throws javax.net.ssl.SSLException when the server is not the one expected or speaks no TLS; a
   *     {@link WrongNodeException} when its certificate is not of the expected role
   */
  public Handshake handshake(Socket plain, String host, int port, int timeoutMillis)
      throws IOException {
    SSLSocket socket = (SSLSocket) factory.createSocket(plain, host, port, true);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setProtocols(TlsProtocols.PROTOCOLS.toArray(String[]::new));
    parameters.setCipherSuites(TlsProtocols.CIPHER_SUITES.toArray(String[]::new));
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    socket.setSSLParameters(parameters);
    plain.setSoTimeout(timeoutMillis);
    socket.startHandshake();
    Certificate[] chain = socket.getSession().getPeerCertificates();
    NodeName peer =
        chain.length == 0 || !(chain[0] instanceof X509Certificate x509)
            ? null
            : NodeName.of(x509).orElse(null);
    if (peer == null || peer.role() != peerRole) {
      socket.close();
      throw new WrongNodeException(host + ":" + port, "a " + peerRole.label(), peer);
    }
    return new Handshake(socket, peer);
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
