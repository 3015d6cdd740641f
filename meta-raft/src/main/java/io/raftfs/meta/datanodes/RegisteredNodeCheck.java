package io.raftfs.meta.datanodes;

import io.raftfs.proto.Heartbeat;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a heartbeat, block report or bad-replica report comes from the registered data node it
 * names. Until nodes have TLS identities a node is known by its registration: its id, its HTTP
 * address, and the host of that address, which must be where its connections come from. Without
 * this, anyone who reaches a master could redirect a node's address, take its commands, or make the
 * master forget its replicas with an empty full report.
 *
 * <p>Each node's registered host is resolved once and cached until the node registers another one.
 * A host name resolves to all its addresses; a connection from any of them is the host's
 * (docs/operations.md, multi-homed hosts).
 */
public final class RegisteredNodeCheck {
  private static final Logger LOG = LoggerFactory.getLogger(RegisteredNodeCheck.class);

  /** Resolves a host name to its addresses; may block on DNS. */
  @FunctionalInterface
  public interface Resolver {
    Set<InetAddress> resolve(String host) throws UnknownHostException;
  }

  public static final Resolver DNS = host -> Set.of(InetAddress.getAllByName(host));

  private record Host(String name, Set<InetAddress> addresses) {}

  private final Function<String, String> registeredAddress;
  private final Resolver resolver;
  // By node id, for the host of its current registration: bounded by the registered nodes.
  private final Map<String, Host> hosts = new ConcurrentHashMap<>();
  // Registered nodes refused since they were last accepted: one warning each, not one a second.
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  /**
   * @param registeredAddress a node's registered HTTP address ({@code host:port}), null if none
   */
  public RegisteredNodeCheck(Function<String, String> registeredAddress, Resolver resolver) {
    this.registeredAddress = registeredAddress;
    this.resolver = resolver;
  }

  /**
   * A heartbeat is believed when its node is registered, it claims the registered address and it
   * comes from that address's host. May resolve the host: call it off the event loop.
   */
  public boolean acceptsHeartbeat(Heartbeat heartbeat, InetAddress peer) {
    String nodeId = heartbeat.getNodeId();
    String registered = registeredAddress.apply(nodeId);
    if (registered == null) {
      return false;
    }
    if (!registered.equals(heartbeat.getHttpAddress())) {
      return refused(nodeId, "claims " + heartbeat.getHttpAddress() + ", registered " + registered);
    }
    return fromHost(nodeId, registered, peer);
  }

  /**
   * A block report is believed when its node is registered and it comes from the host of the
   * registered address. May resolve the host: call it off the event loop.
   */
  public boolean acceptsReport(String nodeId, InetAddress peer) {
    String registered = registeredAddress.apply(nodeId);
    return registered != null && fromHost(nodeId, registered, peer);
  }

  /**
   * Whether {@code caller} is the registered host of the node, as resolved for its heartbeats or
   * reports. Never resolves (so it may run on the event loop): false until one of them did.
   */
  public boolean isHostOf(String nodeId, InetAddress caller) {
    String registered = registeredAddress.apply(nodeId);
    Host host = hosts.get(nodeId);
    return registered != null
        && caller != null
        && host != null
        && host.name().equals(hostOf(registered))
        && host.addresses().contains(caller);
  }

  private boolean fromHost(String nodeId, String registered, InetAddress peer) {
    String name = hostOf(registered);
    Host host = hosts.get(nodeId);
    if (host == null || !host.name().equals(name)) {
      try {
        host = new Host(name, resolver.resolve(name));
      } catch (UnknownHostException e) {
        // Not cached: the JVM's own negative cache paces the next attempts.
        return refused(nodeId, "registered host " + name + " does not resolve");
      }
      hosts.put(nodeId, host);
    }
    if (peer == null || !host.addresses().contains(peer)) {
      return refused(nodeId, "connected from " + peer + ", registered host " + name);
    }
    warned.remove(nodeId);
    return true;
  }

  private boolean refused(String nodeId, String why) {
    if (warned.add(nodeId)) {
      LOG.warn("refusing reports for data node {}: {}", nodeId, why);
    }
    return false;
  }

  /** The host of {@code host:port}, without the brackets of an IPv6 literal. */
  static String hostOf(String httpAddress) {
    int colon = httpAddress.lastIndexOf(':');
    String host = colon < 0 ? httpAddress : httpAddress.substring(0, colon);
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }
}
