package io.raftfs.testing.cluster;

import io.raftfs.auth.AccessKey;
import io.raftfs.client.FileSystemClient;
import io.raftfs.client.config.ClientConfig;
import io.raftfs.client.config.ClientConfigKeys;
import io.raftfs.client.meta.MetaClient;
import io.raftfs.data.config.DataNodeConfig;
import io.raftfs.data.store.BlockLayout;
import io.raftfs.data.testing.DataNodeFixture;
import io.raftfs.proto.DataNodeStatus;
import io.raftfs.testing.Await;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Real masters and data nodes on loopback ports, for tests: ready when a leader is elected and
 * every data node is registered, alive and accepted by every other as a forwarding target. As a
 * JUnit 5 extension it starts before the tests and stops after them (a static field: once per
 * class; an instance field: around each test), so the test body only drives clients:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final MiniRaftfsCluster cluster = MiniRaftfsCluster.builder().dataNodes(3).build();
 *
 * @Test
 * void putThenGet() {
 *   try (FileSystemClient client = cluster.newClient()) { ... }
 * }
 * }</pre>
 *
 * A test that needs settings of its own starts one itself: {@code try (MiniRaftfsCluster cluster =
 * MiniRaftfsCluster.builder().masters(5).separateJvms().build().start(dir)) {...}}.
 */
public final class MiniRaftfsCluster
    implements AutoCloseable,
        BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        AfterEachCallback {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final Builder settings;
  private Path dir;
  private ClusterCertificates certificates; // null: plaintext
  private boolean ownsDir;
  private boolean startedForClass;
  private MasterGroup masters;
  private Vertx vertx;
  private DataNodeFixture dataNodes;
  private DataNodeProcesses dataNodeProcesses;

  private MiniRaftfsCluster(Builder settings) {
    this.settings = settings;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** What to start: 3 masters in this JVM, no data nodes and TLS unless told otherwise. */
  public static final class Builder {
    private int masterCount = 3;
    private int dataNodeCount;
    private final Properties masterSettings = new Properties();
    private UnaryOperator<DataNodeConfig.Builder> dataNodeSettings = UnaryOperator.identity();
    private boolean separateJvms;
    private ProcessPlacement placement = ProcessPlacement.LOOPBACK;
    // Small heaps and short GC pauses: a pause past the step-down wait deposes a leader.
    private List<String> masterJvmFlags = List.of("-Xmx384m", "-XX:+UseG1GC");
    private List<String> dataNodeJvmFlags =
        List.of("-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    private boolean tls = true;

    private Builder() {}

    /**
     * Whether every process speaks TLS (the default), with a CA and certificates made under the
     * cluster's directory; clients from {@link #clientConfig()}, {@link #newClient()}, {@link
     * #newMetaClient()} and {@link #cliEnvironment()} trust that CA.
     */
    public Builder tls(boolean on) {
      tls = on;
      return this;
    }

    /** 1, 3 or 5 masters. */
    public Builder masters(int count) {
      if (count != 1 && count != 3 && count != 5) {
        throw new IllegalArgumentException("1, 3 or 5 masters, not " + count);
      }
      masterCount = count;
      return this;
    }

    public Builder dataNodes(int count) {
      dataNodeCount = count;
      return this;
    }

    /** A setting of every master's config (e.g. a small snapshot threshold). */
    public Builder masterSetting(String key, String value) {
      masterSettings.setProperty(key, value);
      return this;
    }

    public Builder masterSettings(Properties settings) {
      masterSettings.putAll(settings);
      return this;
    }

    /** Applied to every data node's config (e.g. short repair intervals, a small capacity). */
    public Builder dataNodeSettings(UnaryOperator<DataNodeConfig.Builder> settings) {
      dataNodeSettings = settings;
      return this;
    }

    /**
     * Masters and data nodes each in a JVM of their own, so tests can SIGKILL and SIGSTOP them
     * ({@link MasterGroup#processes}, {@link #dataNodeProcesses}).
     */
    public Builder separateJvms() {
      separateJvms = true;
      return this;
    }

    /** Where processes in JVMs of their own run: loopback unless told otherwise. */
    public Builder placement(ProcessPlacement placement) {
      this.placement = placement;
      return this;
    }

    /** The JVM flags of masters and of data nodes in JVMs of their own. */
    public Builder jvmFlags(List<String> masterFlags, List<String> dataNodeFlags) {
      masterJvmFlags = List.copyOf(masterFlags);
      dataNodeJvmFlags = List.copyOf(dataNodeFlags);
      return this;
    }

    /** The cluster, not started: register it as an extension, or {@link #start} it. */
    public MiniRaftfsCluster build() {
      return new MiniRaftfsCluster(this);
    }

    private JvmLayout jvmLayout() {
      return separateJvms ? new JvmLayout(placement, masterJvmFlags, dataNodeJvmFlags) : null;
    }
  }

  /** Starts every process under {@code dir} and waits until the cluster is ready. */
  public MiniRaftfsCluster start(Path dir) {
    if (masters != null) {
      throw new IllegalStateException("the cluster is running");
    }
    this.dir = dir;
    try {
      Files.createDirectories(dir.resolve("masters"));
      certificates = settings.tls ? ClusterCertificates.in(dir.resolve("tls")) : null;
      masters =
          MasterGroup.start(
              dir.resolve("masters"),
              settings.masterCount,
              settings.masterSettings,
              settings.jvmLayout(),
              certificates);
      masters.awaitLeader();
      if (settings.dataNodeCount > 0) {
        startDataNodes();
      }
    } catch (IOException e) {
      close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException | Error e) {
      // Await's AssertionError too: a cluster that never got ready must not outlive its test.
      close();
      throw e;
    }
    return this;
  }

  private void startDataNodes() {
    AtomicInteger index = new AtomicInteger(); // both kinds of data nodes are made in order
    UnaryOperator<DataNodeConfig.Builder> config =
        node -> {
          node.masters(masters.httpAddresses())
              .reserveBytes(0)
              .heartbeatInterval(Duration.ofMillis(200))
              // Off unless a test wants it: 2 cores, many nodes, tests that time.
              .scrubberBytesPerSecond(0);
          if (certificates != null) {
            node.tls(certificates.dataNode(dataNodeId(index.getAndIncrement())));
          }
          return settings.dataNodeSettings.apply(node);
        };
    if (settings.separateJvms) {
      dataNodeProcesses =
          DataNodeProcesses.start(
              dir.resolve("data"), settings.dataNodeCount, settings.jvmLayout(), config);
      // Whether each node has heard of the others cannot be seen from here: a first chain may
      // still be refused (403) and retried elsewhere.
      awaitLiveDataNodes();
      return;
    }
    vertx = Vertx.vertx();
    dataNodes = DataNodeFixture.start(vertx, dir.resolve("data"), settings.dataNodeCount, config);
    awaitLiveDataNodes();
    // Alive at the leader is not yet known to the other nodes: a chain through a node that has not
    // heard of the next one since it registered would be refused (403).
    List<String> addresses = dataNodes.addresses();
    Await.until(
        READY_TIMEOUT,
        "every data node forwards to every other",
        () ->
            IntStream.range(0, dataNodes.size())
                .allMatch(
                    i -> addresses.stream().allMatch(dataNodes.node(i).forwardTargets()::accepts)));
  }

  private void awaitLiveDataNodes() {
    // Data nodes in JVMs of their own first load and warm up their JVMs, as masters do (see
    // MasterGroup.JVM_START_TIMEOUT): on a loaded 2-core machine that can take minutes.
    Duration timeout =
        settings.separateJvms ? MasterGroup.JVM_START_TIMEOUT.plus(READY_TIMEOUT) : READY_TIMEOUT;
    try (MetaClient meta = masters.newClient()) {
      Await.until(
          timeout,
          settings.dataNodeCount + " live data nodes",
          () ->
              meta.clusterStatus().getDataNodesList().stream()
                  .filter(DataNodeStatus::getAlive)
                  .count(),
          alive -> alive == settings.dataNodeCount);
    }
  }

  /**
   * The id of data node {@code i} (from 0): the one in its directory, if it ran before, else a new
   * one its certificate will name (and it will adopt).
   */
  private String dataNodeId(int i) {
    Path nodeDir =
        settings.separateJvms
            ? DataNodeProcesses.nodeDir(dir.resolve("data"), i)
            : dir.resolve("data").resolve("dn-" + i);
    Path idFile = new BlockLayout(nodeDir).nodeIdFile();
    try {
      return Files.exists(idFile)
          ? Files.readString(idFile).trim()
          : "dn-" + i + "-" + UUID.randomUUID().toString().substring(0, 8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The CA and certificates of a cluster that speaks TLS. */
  public ClusterCertificates certificates() {
    if (certificates == null) {
      throw new IllegalStateException("the cluster speaks plaintext");
    }
    return certificates;
  }

  public MasterGroup masters() {
    return masters;
  }

  public List<String> masterAddresses() {
    return masters.httpAddresses();
  }

  /** The data nodes, in this JVM. */
  public DataNodeFixture dataNodes() {
    if (dataNodes == null) {
      throw new IllegalStateException("the cluster has no data nodes in this JVM");
    }
    return dataNodes;
  }

  /** The data nodes, each in a JVM of its own ({@link Builder#separateJvms}). */
  public DataNodeProcesses dataNodeProcesses() {
    if (dataNodeProcesses == null) {
      throw new IllegalStateException("the cluster has no data nodes in JVMs of their own");
    }
    return dataNodeProcesses;
  }

  /** A client signing with the superuser's key. */
  public FileSystemClient newClient() {
    return new FileSystemClient(masterAddresses(), clientConfig());
  }

  /** Client settings with the superuser's key and the cluster's CA, to build on. */
  public ClientConfig clientConfig() {
    AccessKey root = masters.rootKey();
    ClientConfig.Builder config = ClientConfig.builder();
    if (root != null) {
      config.credentials(root);
    }
    if (certificates != null) {
      config.set(ClientConfigKeys.Tls.CA_FILE, certificates.caFile());
      config.set(ClientConfigKeys.Tls.CRL_FILE, certificates.crlFile());
    }
    return config.build();
  }

  /**
   * The environment a {@code raftfs} command needs for this cluster: its masters, the superuser's
   * key and the CA.
   */
  public Map<String, String> cliEnvironment() {
    Map<String, String> env = new HashMap<>();
    env.put("RAFTFS_MASTERS", String.join(",", masterAddresses()));
    AccessKey root = masters.rootKey();
    if (root != null) {
      env.put("RAFTFS_ACCESS_KEY", root.id());
      env.put("RAFTFS_SECRET_KEY", root.secret());
    }
    if (certificates != null) {
      env.put("RAFTFS_CA_FILE", certificates.caFile().toString());
      env.put("RAFTFS_CRL_FILE", certificates.crlFile().toString());
    }
    return Map.copyOf(env);
  }

  public MetaClient newMetaClient() {
    return masters.newClient();
  }

  @Override
  public void close() {
    if (dataNodeProcesses != null) {
      dataNodeProcesses.close();
      dataNodeProcesses = null;
    }
    if (dataNodes != null) {
      dataNodes.close();
      dataNodes = null;
    }
    if (vertx != null) {
      try {
        vertx.close().await(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        // Masters still stop below.
      }
      vertx = null;
    }
    if (masters != null) {
      masters.close();
      masters = null;
    }
    if (ownsDir) {
      delete(dir);
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    startedForClass = true;
    startInTempDir();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    if (!startedForClass) {
      startInTempDir();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!startedForClass) {
      close();
    }
  }

  private void startInTempDir() throws IOException {
    ownsDir = true;
    start(Files.createTempDirectory("mini-raftfs-cluster"));
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // A temp directory left behind is no test failure.
    }
  }
}
