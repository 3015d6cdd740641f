package io.raftfs.tls;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** A probe of a master's Raft port (gRPC over TLS) with a given client identity. */
final class Http2Greeting {
  private Http2Greeting() {}

  /**
   * Connects to a Raft (gRPC) port as a peer would, TLS with ALPN h2 and the HTTP/2 preface, and
   * returns how many bytes of the server's greeting (its SETTINGS frame) came.
   *
   * @throws IOException when the server refused the certificate (TLS 1.3 reports it at the first
   *     read) or closed the connection
   */
  static int read(TlsIdentity identity, String address) throws IOException {
    int colon = address.lastIndexOf(':');
    try (SSLSocket socket =
        (SSLSocket)
            identity
                .sslContext()
                .getSocketFactory()
                .createSocket(
                    address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)))) {
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setApplicationProtocols(new String[] {"h2"});
      socket.setSSLParameters(parameters);
      socket.setSoTimeout(10_000);
      socket.startHandshake();
      OutputStream out = socket.getOutputStream();
      out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0}); // an empty SETTINGS frame
      out.flush();
      int n = socket.getInputStream().read(new byte[64]);
      if (n < 0) {
        throw new IOException("closed without a greeting");
      }
      return n;
    }
  }
}
