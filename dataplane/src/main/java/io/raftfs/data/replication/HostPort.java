package io.raftfs.data.replication;

import io.vertx.core.net.SocketAddress;

/** A {@code host:port} address as written in configs, headers and replies. */
public final class HostPort {
  private HostPort() {}

  /** Parses {@code host:port}; {@link IllegalArgumentException} naming the bad value otherwise. */
  public static SocketAddress parse(String address) {
    int colon = address.lastIndexOf(':');
    if (colon > 0 && colon < address.length() - 1) {
      try {
        int port = Integer.parseInt(address.substring(colon + 1));
        if (port > 0 && port <= 65535) {
          return SocketAddress.inetSocketAddress(port, address.substring(0, colon));
        }
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw new IllegalArgumentException("'" + address + "' is not host:port");
  }
}
