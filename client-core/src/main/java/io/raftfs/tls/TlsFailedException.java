package io.raftfs.tls;

/**
 * A TLS connection could not be made: the server's certificate is not from the cluster's CA, names
 * another host or role, or the server speaks no TLS (or TLS to a plaintext client). Configuration,
 * not a passing failure: retrying does not help, so it is not retried.
 */
public final class TlsFailedException extends RuntimeException {
  public TlsFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
