package io.raftfs.chaos;

import io.raftfs.meta.config.MasterConfigKeys;
import io.raftfs.testing.FreePorts;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Three masters and {@code n} data nodes, each its own JVM started from this JVM's classpath (as
 * {@code deploy/cluster} starts them from the distribution), with the operations a nemesis needs:
 * SIGKILL, SIGSTOP/SIGCONT, restart, and a restart of a data node with a tiny disk.
 *
 * <p>Every process has a name ({@code m1..m3}, {@code dn1..dnN}), a directory under the run
 * directory and a log file {@code <name>.log} that restarts append to. Addresses never change, so a
 * restarted process comes back where its peers expect it.
 */
final class ChaosCluster implements AutoCloseable {

  /** One process: its name, config and the JVM currently running it (if any). */
  final class Node {
    final String name;
    final boolean master;
    final String httpAddress;
    final Path dir;
    final Path config;
    volatile Process process;
    volatile boolean paused;

    Node(String name, boolean master, String httpAddress, Path dir, Path config) {
      this.name = name;
      this.master = master;
      this.httpAddress = httpAddress;
      this.dir = dir;
      this.config = config;
    }

    boolean running() {
      Process current = process;
      return current != null && current.isAlive();
    }

    long pid() {
      return process.pid();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private final Path dir;
  private final Netns netns;
  private final List<Node> masters = new ArrayList<>();
  private final List<Node> dataNodes = new ArrayList<>();

  private ChaosCluster(Path dir, Netns netns) {
    this.dir = dir;
    this.netns = netns;
  }

  /**
   * Writes every config and starts every process (it does not wait for them: see {@link ChaosRun}).
   *
   * @param netns null to run every process on loopback; else each process in its own namespace
   */
  static ChaosCluster start(Path dir, int dataNodeCount, Netns netns) throws IOException {
    ChaosCluster cluster = new ChaosCluster(dir, netns);
    Files.createDirectories(dir);
    List<String> peers = new ArrayList<>();
    List<String> httpAddresses = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      String host = netns == null ? "127.0.0.1" : netns.address("m" + i);
      int raftPort = netns == null ? FreePorts.next() : 9861;
      int httpPort = netns == null ? FreePorts.next() : 9871;
      peers.add("m" + i + "=" + host + ":" + raftPort + ":" + httpPort);
      httpAddresses.add(host + ":" + httpPort);
    }
    for (int i = 1; i <= 3; i++) {
      String name = "m" + i;
      Properties props = new Properties();
      props.setProperty(MasterConfigKeys.ID_KEY, name);
      props.setProperty(MasterConfigKeys.PEERS_KEY, String.join(",", peers));
      props.setProperty(MasterConfigKeys.STORAGE_DIR_KEY, dir.resolve(name).toString());
      props.setProperty(
          MasterConfigKeys.HTTP_BIND_HOST_KEY, netns == null ? "127.0.0.1" : netns.address(name));
      // Small snapshots, so restarts load snapshots and followers catch up by installing them.
      props.setProperty(MasterConfigKeys.SNAPSHOT_THRESHOLD_KEY, "400");
      props.setProperty(MasterConfigKeys.DATANODE_DEAD_TIMEOUT_MS_KEY, "4000");
      props.setProperty(MasterConfigKeys.REPAIR_COPY_TIMEOUT_MS_KEY, "15000");
      props.setProperty(MasterConfigKeys.ORPHAN_GRACE_MS_KEY, "60000");
      props.setProperty(MasterConfigKeys.BLOCK_SIZE_MIN_KEY, Long.toString(Worker.BLOCK_SIZE));
      Path config = dir.resolve(name + ".conf");
      store(props, config);
      cluster.masters.add(
          cluster.new Node(name, true, httpAddresses.get(i - 1), dir.resolve(name), config));
    }
    for (int i = 1; i <= dataNodeCount; i++) {
      String name = "dn" + i;
      String host = netns == null ? "127.0.0.1" : netns.address(name);
      int port = netns == null ? FreePorts.next() : 9880;
      Node node =
          cluster
          .new Node(name, false, host + ":" + port, dir.resolve(name), dir.resolve(name + ".conf"));
      cluster.dataNodes.add(node);
      cluster.writeDataNodeConfig(node, 0);
    }
    for (Node node : cluster.masters) {
      cluster.startProcess(node);
    }
    for (Node node : cluster.dataNodes) {
      cluster.startProcess(node);
    }
    return cluster;
  }

  /**
   * @param capacityBytes 0 for the whole disk
   */
  void writeDataNodeConfig(Node node, long capacityBytes) throws IOException {
    String host = node.httpAddress.substring(0, node.httpAddress.lastIndexOf(':'));
    String port = node.httpAddress.substring(node.httpAddress.lastIndexOf(':') + 1);
    Properties props = new Properties();
    props.setProperty("raftfs.datanode.dir", node.dir.toString());
    props.setProperty("raftfs.datanode.http.host", host);
    props.setProperty("raftfs.datanode.http.port", port);
    props.setProperty("raftfs.masters", String.join(",", masterAddresses()));
    props.setProperty("raftfs.datanode.reserve.bytes", "0");
    if (capacityBytes > 0) {
      props.setProperty("raftfs.datanode.capacity.bytes", Long.toString(capacityBytes));
    }
    props.setProperty("raftfs.datanode.heartbeat.interval.ms", "300");
    props.setProperty("raftfs.datanode.blockreport.interval.ms", "5000");
    store(props, node.config);
  }

  private static void store(Properties props, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      props.store(out, "written by the chaos suite");
    }
  }

  List<Node> masters() {
    return masters;
  }

  List<Node> dataNodes() {
    return dataNodes;
  }

  List<String> masterAddresses() {
    return masters.stream().map(node -> node.httpAddress).toList();
  }

  Node master(String id) {
    return masters.stream().filter(node -> node.name.equals(id)).findFirst().orElse(null);
  }

  Netns netns() {
    return netns;
  }

  Path dir() {
    return dir;
  }

  /** Starts the node's JVM unless it runs. */
  synchronized void startProcess(Node node) {
    if (node.running()) {
      return;
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>();
    if (netns != null) {
      command.addAll(List.of("ip", "netns", "exec", netns.namespace(node.name)));
    }
    command.add(java);
    if (node.master) {
      command.addAll(List.of("-Xmx384m", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=50"));
    } else {
      command.addAll(List.of("-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    }
    command.addAll(
        List.of(
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            "-Dorg.slf4j.simpleLogger.showDateTime=true"));
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.add(node.master ? "io.raftfs.meta.server.MasterMain" : "io.raftfs.data.DataNodeMain");
    command.addAll(List.of("--config", node.config.toString()));
    try {
      node.process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(dir.resolve(node.name + ".log").toFile()))
              .start();
      node.paused = false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGKILL and wait for the process to be gone. */
  void kill(Node node) {
    Process process = node.process;
    if (process == null) {
      return;
    }
    if (node.paused) {
      signal(node, "CONT"); // a stopped process dies of SIGKILL too, but be explicit
    }
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    node.paused = false;
  }

  void pause(Node node) {
    if (node.running()) {
      node.paused = true; // before the signal: whatever happens, healing sends SIGCONT
      signal(node, "STOP");
    }
  }

  void resume(Node node) {
    if (node.paused && node.running()) {
      signal(node, "CONT");
    }
    node.paused = false;
  }

  /** SIGCONT to every process, paused or not as far as we know: nothing stays stopped. */
  void resumeAll() {
    for (Node node : masters) {
      resumeForSure(node);
    }
    for (Node node : dataNodes) {
      resumeForSure(node);
    }
  }

  private void resumeForSure(Node node) {
    if (node.running()) {
      Sh.tryRun("kill", "-CONT", Long.toString(node.pid()));
    }
    node.paused = false;
  }

  private static void signal(Node node, String signal) {
    // With netns the JVM is a child of `ip netns exec`, which execs: same pid.
    Sh.run("kill", "-" + signal, Long.toString(node.pid()));
  }

  @Override
  public void close() {
    List<Node> all = new ArrayList<>(dataNodes);
    all.addAll(masters);
    for (Node node : all) {
      resume(node);
      if (node.running()) {
        node.process.destroy();
      }
    }
    for (Node node : all) {
      Process process = node.process;
      if (process != null) {
        try {
          if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
