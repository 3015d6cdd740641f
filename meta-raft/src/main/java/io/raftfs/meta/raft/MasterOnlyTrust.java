package io.raftfs.meta.raft;

import io.raftfs.tls.NodeName;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trust for the masters' Raft traffic: the cluster's CA, as everywhere, and on top of it only
 * master certificates, on both ends. A data node's certificate comes from the same CA, but a data
 * node that could speak Raft could vote, or append to the log.
 */
final class MasterOnlyTrust extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager cluster;

  MasterOnlyTrust(X509ExtendedTrustManager cluster) {
    this.cluster = cluster;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    cluster.checkClientTrusted(chain, authType, socket);
    requireMaster(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    cluster.checkClientTrusted(chain, authType, engine);
    requireMaster(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    cluster.checkClientTrusted(chain, authType);
    requireMaster(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    cluster.checkServerTrusted(chain, authType, socket);
    requireMaster(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    cluster.checkServerTrusted(chain, authType, engine);
    requireMaster(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    cluster.checkServerTrusted(chain, authType);
    requireMaster(chain);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return cluster.getAcceptedIssuers();
  }

  private static void requireMaster(X509Certificate[] chain) throws CertificateException {
    NodeName peer = chain.length == 0 ? null : NodeName.of(chain[0]).orElse(null);
    if (peer == null || peer.role() != NodeName.Role.MASTER) {
      throw new CertificateException(
          "Raft peers must present a master's certificate, not "
              + (peer == null ? "one naming no raftfs node" : peer + "'s"));
    }
  }
}
