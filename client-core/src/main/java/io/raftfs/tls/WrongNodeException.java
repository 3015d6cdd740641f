package io.raftfs.tls;

import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The server at an address proved, with a certificate from the cluster's CA, to be another node
 * than the one the caller meant: another data node (a stale address, a node moved or an attacker
 * holding some node's key), or a node of another role. An {@link javax.net.ssl.SSLException}, so it
 * is handled as any failed handshake: a client tries the next replica, the {@code raftfs} command
 * exits 16.
 */
public final class WrongNodeException extends SSLPeerUnverifiedException {
  /**
   * @param address the {@code host:port} dialled
   * @param expected what the caller meant, e.g. {@code datanode dn-b} or {@code a master}
   * @param found what the certificate names, null when it names no raftfs node
   */
  public WrongNodeException(String address, String expected, NodeName found) {
    super(
        address
            + ": expected "
            + expected
            + ", but its certificate names "
            + (found == null ? "no raftfs node" : found));
  }
}
