package io.raftfs.chaos;

import io.raftfs.auth.AccessKey;
import io.raftfs.auth.CredentialsFile;
import io.raftfs.meta.config.MasterConfigKeys;
import io.raftfs.testing.FreePorts;
import io.raftfs.testing.cluster.JvmProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

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

  private static final List<String> MASTER_JVM =
      List.of("-Xmx384m", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=50");
  private static final List<String> DATANODE_JVM =
      List.of("-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
  private static final List<String> LOGGING =
      List.of(
          "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
          "-Dorg.slf4j.simpleLogger.showDateTime=true");

  /** One process: its name, config and the JVM that runs it. */
  final class Node {
    final String name;
    final boolean master;
    final String httpAddress;
    final Path dir;
    final Path config;
    final JvmProcess jvm;

    Node(String name, boolean master, String httpAddress, Path dir, Path config) {
      this.name = name;
      this.master = master;
      this.httpAddress = httpAddress;
      this.dir = dir;
      this.config = config;
      List<String> flags = new ArrayList<>(master ? MASTER_JVM : DATANODE_JVM);
      flags.addAll(LOGGING);
      this.jvm =
          new JvmProcess(
              netns == null ? List.of() : List.of("ip", "netns", "exec", netns.namespace(name)),
              master ? "io.raftfs.meta.server.MasterMain" : "io.raftfs.data.DataNodeMain",
              config,
              ChaosCluster.this.dir.resolve(name + ".log"),
              flags);
    }

    boolean running() {
      return jvm.running();
    }

    long pid() {
      return jvm.pid();
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
  private final AccessKey rootKey = AccessKey.generate();

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
    Path keyFile = dir.resolve("root.credentials");
    CredentialsFile.create(keyFile, cluster.rootKey);
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
      // Plaintext: the nemesis cuts and delays packets, TLS adds nothing to what it checks.
      props.setProperty(MasterConfigKeys.TLS_ENABLED_KEY, "false");
      props.setProperty(MasterConfigKeys.AUTH_ROOT_CREDENTIALS_FILE_KEY, keyFile.toString());
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
    props.setProperty("raftfs.datanode.tls.enabled", "false");
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

  /** The superuser's key, which the masters check every client's signature against. */
  AccessKey rootKey() {
    return rootKey;
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
  void startProcess(Node node) {
    node.jvm.start();
  }

  /** SIGKILL and wait for the process to be gone. */
  void kill(Node node) {
    node.jvm.kill();
  }

  /** SIGTERM (SIGKILL if it does not end in time), then start it again. */
  void restartGracefully(Node node) {
    node.jvm.stop();
    node.jvm.start();
  }

  void pause(Node node) {
    node.jvm.pause();
  }

  void resume(Node node) {
    node.jvm.resume();
  }

  /** SIGCONT to every process, paused or not as far as we know: nothing stays stopped. */
  void resumeAll() {
    for (Node node : masters) {
      node.jvm.resumeForSure();
    }
    for (Node node : dataNodes) {
      node.jvm.resumeForSure();
    }
  }

  @Override
  public void close() {
    List<Node> all = new ArrayList<>(dataNodes);
    all.addAll(masters);
    for (Node node : all) {
      node.jvm.stop();
    }
  }
}
