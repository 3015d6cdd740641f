package io.raftfs.chaos;

import io.raftfs.testing.cluster.ProcessPlacement;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every process in its own Linux network namespace, joined by a veth pair to one bridge in the root
 * namespace, on 10.200.0.0/24 (the bridge is .254, masters .1-.3, data nodes .11 on). Only
 * addresses this class assigned are ever used. A partition takes a process's bridge-side veth down
 * (it is cut from everyone: masters, data nodes and clients); a slow link is {@code tc netem} on
 * it.
 *
 * <p>Needs root and {@code ip}/{@code tc}; {@link #create} returns null with a reason otherwise.
 */
final class Netns implements ProcessPlacement, AutoCloseable {
  static final String BRIDGE = "rfcbr0";
  private static final String SUBNET = "10.200.0.";

  private final Map<String, Integer> hosts = new LinkedHashMap<>();

  /** Why {@code tc netem} cannot delay links here, or null when it can. */
  private String noDelayReason;

  /** A namespace per name, or null (and the reason printed) when namespaces cannot be made. */
  static Netns create(int dataNodes, StringBuilder whyNot) {
    Netns netns = new Netns();
    for (int i = 1; i <= 3; i++) {
      netns.hosts.put("m" + i, i);
    }
    for (int i = 1; i <= dataNodes; i++) {
      netns.hosts.put("dn" + i, 10 + i);
    }
    netns.cleanUp(); // leftovers of a killed run
    try {
      Sh.run("ip", "link", "add", BRIDGE, "type", "bridge");
      Sh.run("ip", "addr", "add", SUBNET + "254/24", "dev", BRIDGE);
      Sh.run("ip", "link", "set", BRIDGE, "up");
      for (Map.Entry<String, Integer> host : netns.hosts.entrySet()) {
        String ns = netns.namespace(host.getKey());
        String outside = netns.hostLink(host.getKey());
        String inside = "rfc-" + host.getKey() + "-n";
        Sh.run("ip", "netns", "add", ns);
        Sh.run("ip", "link", "add", outside, "type", "veth", "peer", "name", inside);
        Sh.run("ip", "link", "set", inside, "netns", ns);
        Sh.run("ip", "link", "set", outside, "master", BRIDGE);
        Sh.run("ip", "link", "set", outside, "up");
        Sh.run("ip", "-n", ns, "link", "set", "lo", "up");
        Sh.run("ip", "-n", ns, "addr", "add", SUBNET + host.getValue() + "/24", "dev", inside);
        Sh.run("ip", "-n", ns, "link", "set", inside, "up");
      }
      netns.probe();
      netns.probeDelay();
      return netns;
    } catch (RuntimeException e) {
      whyNot.append(e.getMessage());
      netns.cleanUp();
      return null;
    }
  }

  /** A TCP connection from m1's namespace to a socket on the bridge: the veths and bridge work. */
  private void probe() {
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(SUBNET + "254", 0));
      server.setSoTimeout(10_000);
      String dial = "echo > /dev/tcp/" + SUBNET + "254/" + server.getLocalPort();
      Thread dialer =
          new Thread(
              () ->
                  Sh.tryRun(
                      "ip", "netns", "exec", namespace("m1"), "timeout", "10", "bash", "-c", dial));
      dialer.start();
      try (Socket accepted = server.accept()) {
        // reached
      } finally {
        dialer.join();
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "no TCP across the bridge from " + namespace("m1") + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }

  /**
   * Kernels built without {@code sch_netem} (these VMs) refuse netem: slow links are then skipped,
   * said once, instead of failing every time the nemesis picks one.
   */
  private void probeDelay() {
    try {
      delay("m1", 1);
    } catch (RuntimeException e) {
      noDelayReason = e.getMessage();
    } finally {
      undelay("m1");
    }
  }

  /** Whether {@link #delay} works on this kernel. */
  boolean canDelay() {
    return noDelayReason == null;
  }

  /** Why {@link #delay} does not work here; null when it does. */
  String noDelayReason() {
    return noDelayReason;
  }

  String namespace(String name) {
    return "rfc-" + name;
  }

  private String hostLink(String name) {
    return "rfc-" + name + "-h";
  }

  String address(String name) {
    return SUBNET + hosts.get(name);
  }

  @Override
  public String host(String name) {
    return address(name);
  }

  /** Each namespace has an address of its own: the well-known port is free in it. */
  @Override
  public int port(int wellKnownPort) {
    return wellKnownPort;
  }

  /** {@code ip netns exec} execs, so the JVM keeps the pid that is signalled. */
  @Override
  public List<String> commandPrefix(String name) {
    return List.of("ip", "netns", "exec", namespace(name));
  }

  /** Cuts every link of {@code name}'s namespace. */
  void partition(String name) {
    Sh.run("ip", "link", "set", hostLink(name), "down");
  }

  void heal(String name) {
    Sh.tryRun("tc", "qdisc", "del", "dev", hostLink(name), "root");
    Sh.run("ip", "link", "set", hostLink(name), "up");
  }

  /** Delays every packet to and from {@code name} (netem on the bridge side only delays egress). */
  void delay(String name, int millis) {
    Sh.run(
        "tc",
        "qdisc",
        "replace",
        "dev",
        hostLink(name),
        "root",
        "netem",
        "delay",
        millis + "ms",
        (millis / 4) + "ms");
    Sh.run(
        "ip",
        "netns",
        "exec",
        namespace(name),
        "tc",
        "qdisc",
        "replace",
        "dev",
        "rfc-" + name + "-n",
        "root",
        "netem",
        "delay",
        millis + "ms",
        (millis / 4) + "ms");
  }

  void undelay(String name) {
    Sh.tryRun("tc", "qdisc", "del", "dev", hostLink(name), "root");
    Sh.tryRun(
        "ip",
        "netns",
        "exec",
        namespace(name),
        "tc",
        "qdisc",
        "del",
        "dev",
        "rfc-" + name + "-n",
        "root");
  }

  private void cleanUp() {
    for (String name : hosts.keySet()) {
      Sh.tryRun("ip", "netns", "del", namespace(name));
      Sh.tryRun("ip", "link", "del", hostLink(name));
    }
    Sh.tryRun("ip", "link", "del", BRIDGE);
  }

  @Override
  public void close() {
    cleanUp();
  }
}
