package io.raftfs.meta.config;

/** One master as named in {@code raftfs.master.peers}: {@code id=host:raftPort:httpPort}. */
public record PeerAddress(String id, String host, int raftPort, int httpPort) {

  public String raftAddress() {
    return host + ":" + raftPort;
  }

  public String httpAddress() {
    return host + ":" + httpPort;
  }

  @Override
  public String toString() {
    return id + "=" + host + ":" + raftPort + ":" + httpPort;
  }

  static PeerAddress parse(String spec) {
    String[] idAndAddress = spec.trim().split("=", 2);
    String[] parts = idAndAddress.length == 2 ? idAndAddress[1].split(":") : new String[0];
    if (parts.length != 3 || idAndAddress[0].isBlank() || parts[0].isBlank()) {
      throw new IllegalArgumentException("'" + spec.trim() + "' is not id=host:raftPort:httpPort");
    }
    return new PeerAddress(
        idAndAddress[0].trim(), parts[0], port(parts[1], spec), port(parts[2], spec));
  }

  private static int port(String text, String spec) {
    try {
      int port = Integer.parseInt(text);
      if (port < 1 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + spec.trim() + "': bad port '" + text + "'");
    }
  }
}
