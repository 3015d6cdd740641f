package io.raftfs.chaos;

import io.raftfs.auth.AccessKey;
import io.raftfs.data.config.DataNodeConfigKeys;
import io.raftfs.meta.config.MasterConfigKeys;
import io.raftfs.testing.cluster.ClusterProcess;
import io.raftfs.testing.cluster.MiniRaftfsCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The chaos suite's {@link MiniRaftfsCluster}: three masters and {@code n} data nodes, each in a
 * JVM of its own (in a network namespace of its own with {@link Netns}), set up for faults — small
 * snapshots, quick death detection, the scrubber on — with the handles a nemesis needs.
 */
final class ChaosCluster implements AutoCloseable {
  private static final List<String> LOGGING =
      List.of(
          "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
          "-Dorg.slf4j.simpleLogger.log.org.apache.ratis=info",
          "-Dorg.slf4j.simpleLogger.log.org.apache.ratis.thirdparty=warn",
          "-Dorg.slf4j.simpleLogger.log.io.raftfs=info",
          "-Dorg.slf4j.simpleLogger.showDateTime=true");
  // Masters also log their own lines (leader changes, handovers) and every election round: what a
  // long stretch without a completed operation is read from.
  private static final List<String> MASTER_JVM =
      concat(
          List.of(
              "-Xmx384m",
              "-XX:+UseG1GC",
              "-XX:MaxGCPauseMillis=50",
              "-Dorg.slf4j.simpleLogger.log.io.raftfs=info",
              "-Dorg.slf4j.simpleLogger.log.org.apache.ratis.server.impl.LeaderElection=info"),
          LOGGING);
  private static final List<String> DATANODE_JVM =
      concat(List.of("-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), LOGGING);

  private final MiniRaftfsCluster cluster;
  private final Netns netns;
  private final Path dir;

  private ChaosCluster(MiniRaftfsCluster cluster, Netns netns, Path dir) {
    this.cluster = cluster;
    this.netns = netns;
    this.dir = dir;
  }

  /**
   * Starts every process and waits until there is a leader and every data node is alive.
   *
   * @param netns null to run every process on loopback; else each process in its own namespace
   */
  static ChaosCluster start(Path dir, int dataNodeCount, Netns netns) {
    MiniRaftfsCluster.Builder builder =
        MiniRaftfsCluster.builder()
            .separateJvms()
            // Plaintext: the nemesis cuts and delays packets, TLS adds nothing to what it checks
            // (and a namespace's address is in no certificate).
            .tls(false)
            .jvmFlags(MASTER_JVM, DATANODE_JVM)
            .dataNodes(dataNodeCount)
            // Small snapshots, so restarts load snapshots and followers catch up by installing
            // them.
            .masterSetting(MasterConfigKeys.SNAPSHOT_THRESHOLD_KEY, "400")
            .masterSetting(MasterConfigKeys.DATANODE_DEAD_TIMEOUT_MS_KEY, "4000")
            .masterSetting(MasterConfigKeys.REPAIR_COPY_TIMEOUT_MS_KEY, "15000")
            .masterSetting(MasterConfigKeys.ORPHAN_GRACE_MS_KEY, "60000")
            .masterSetting(MasterConfigKeys.BLOCK_SIZE_MIN_KEY, Long.toString(Worker.BLOCK_SIZE))
            .dataNodeSettings(
                node ->
                    node.heartbeatInterval(Duration.ofMillis(300))
                        .blockReportInterval(Duration.ofSeconds(5))
                        // The corrupt-blocks fault wants the scrubber to find what it flipped
                        // within the run, not within the default two weeks.
                        .scrubberBytesPerSecond(
                            DataNodeConfigKeys.Scrubber.BYTES_PER_SECOND.defaultValue())
                        .scrubberPeriod(Duration.ofMinutes(1)));
    if (netns != null) {
      builder.placement(netns);
    }
    return new ChaosCluster(builder.build().start(dir), netns, dir);
  }

  List<ClusterProcess> masters() {
    return cluster.masters().processes();
  }

  List<ClusterProcess> dataNodes() {
    return cluster.dataNodeProcesses().nodes();
  }

  List<ClusterProcess> all() {
    List<ClusterProcess> all = new ArrayList<>(masters());
    all.addAll(dataNodes());
    return all;
  }

  /** The master named {@code id}, or null. */
  ClusterProcess master(String id) {
    return masters().stream().filter(node -> node.name().equals(id)).findFirst().orElse(null);
  }

  /** The superuser's key, which the masters check every client's signature against. */
  AccessKey rootKey() {
    return cluster.masters().rootKey();
  }

  List<String> masterAddresses() {
    return cluster.masterAddresses();
  }

  Netns netns() {
    return netns;
  }

  Path dir() {
    return dir;
  }

  /**
   * Rewrites {@code node}'s config with a disk of {@code capacityBytes} (0: the whole disk), for
   * its next start.
   */
  void setCapacity(ClusterProcess node, long capacityBytes) {
    cluster
        .dataNodeProcesses()
        .rewriteConfig(
            node, config -> capacityBytes > 0 ? config.capacityBytes(capacityBytes) : config);
  }

  /** SIGCONT to every process, paused or not as far as we know: nothing stays stopped. */
  void resumeAll() {
    all().forEach(node -> node.jvm().resumeForSure());
  }

  @Override
  public void close() {
    cluster.close();
  }

  private static List<String> concat(List<String> first, List<String> second) {
    List<String> all = new ArrayList<>(first);
    all.addAll(second);
    return List.copyOf(all);
  }
}
