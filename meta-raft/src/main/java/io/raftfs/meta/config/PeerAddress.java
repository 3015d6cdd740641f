package io.raftfs.meta.config;

import io.raftfs.config.ConfigType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** One master as named in {@code raftfs.master.peers}: {@code id=host:raftPort:httpPort}. */
public record PeerAddress(String id, String host, int raftPort, int httpPort) {
  /** Comma-separated peers with distinct ids; blanks around them are dropped. */
  static final ConfigType<List<PeerAddress>> LIST = new PeerList();

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

  private static final class PeerList implements ConfigType<List<PeerAddress>> {
    @Override
    public String name() {
      return "peer list";
    }

    @Override
    public List<PeerAddress> parse(String text) {
      List<PeerAddress> peers = new ArrayList<>();
      Set<String> ids = new HashSet<>();
      for (String spec : text.split(",")) {
        if (spec.isBlank()) {
          continue;
        }
        PeerAddress peer = PeerAddress.parse(spec);
        if (!ids.add(peer.id())) {
          throw new IllegalArgumentException("id '" + peer.id() + "' appears twice");
        }
        peers.add(peer);
      }
      return List.copyOf(peers);
    }

    @Override
    public String format(List<PeerAddress> peers) {
      return peers.stream().map(PeerAddress::toString).collect(Collectors.joining(","));
    }
  }
}
