package io.raftfs.meta.auth;

/** A data node's report came without that node's certificate: answered 403 with the message. */
public final class NodeCertificateException extends Exception {
  public NodeCertificateException(String message) {
    super(message);
  }
}
