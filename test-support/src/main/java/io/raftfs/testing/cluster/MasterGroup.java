package io.raftfs.testing.cluster;

import io.raftfs.auth.AccessKey;
import io.raftfs.auth.CredentialsFile;
import io.raftfs.client.meta.MetaClient;
import io.raftfs.client.meta.MetaClientOptions;
import io.raftfs.meta.config.MasterConfig;
import io.raftfs.meta.config.MasterConfigKeys;
import io.raftfs.meta.server.MasterServer;
import io.raftfs.meta.users.UserKey;
import io.raftfs.testing.Await;
import io.raftfs.tls.TlsFiles;
import io.raftfs.tls.TlsIdentity;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * The masters of a {@link MiniRaftfsCluster}: real masters (Ratis + HTTP) on loopback ports, each
 * with its own storage directory {@code m<i>}, in this JVM or each in a JVM of its own ({@link
 * #kill} is then a real SIGKILL). Indexes count from 0; ids are {@code m1..mN}.
 */
public final class MasterGroup implements AutoCloseable {
  public static final Duration LEADER_TIMEOUT = Duration.ofSeconds(30);

  /**
   * How long a master in a JVM of its own may take to serve HTTP. Not part of {@link
   * #LEADER_TIMEOUT}: three master JVMs starting on a loaded 2-core machine took 25-29 s to serve
   * (Ratis, gRPC and Vert.x loading and warming up), which left the election a second or two.
   */
  public static final Duration JVM_START_TIMEOUT = Duration.ofSeconds(120);

  /** The ports of a master that has an address of its own (the defaults of deploy/cluster). */
  private static final int RAFT_PORT = 9861;

  private static final int HTTP_PORT = 9871;

  private final List<Properties> configs = new ArrayList<>();
  private final List<String> httpAddresses = new ArrayList<>();
  private final MasterServer[] servers;
  private final ClusterProcess[] processes;
  private AccessKey rootKey;
  private TlsIdentity clientTls; // null: plaintext

  private MasterGroup(int size, boolean separateJvms) {
    this.servers = new MasterServer[size];
    this.processes = separateJvms ? new ClusterProcess[size] : null;
  }

  /**
   * Writes the configs of {@code size} masters under {@code dir} and starts them; {@code overrides}
   * apply to every master (e.g. a small snapshot threshold). With {@code certificates} (null:
   * plaintext) each master speaks TLS with a certificate of its own.
   *
   * @param jvms null to run the masters in this JVM
   */
  static MasterGroup start(
      Path dir, int size, Properties overrides, JvmLayout jvms, ClusterCertificates certificates) {
    MasterGroup group = new MasterGroup(size, jvms != null);
    ProcessPlacement placement = jvms == null ? ProcessPlacement.LOOPBACK : jvms.placement();
    if (certificates != null) {
      try {
        group.clientTls = TlsIdentity.trusting(certificates.caFile(), certificates.crlFile());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    List<String> peers = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      String host = placement.host("m" + i);
      int httpPort = placement.port(HTTP_PORT);
      peers.add("m" + i + "=" + host + ":" + placement.port(RAFT_PORT) + ":" + httpPort);
      group.httpAddresses.add(host + ":" + httpPort);
    }
    Properties shared = new Properties();
    boolean authEnabled =
        !"false".equals(overrides.getProperty(MasterConfigKeys.AUTH_ENABLED_KEY, "true"));
    if (authEnabled && !overrides.containsKey(MasterConfigKeys.AUTH_ROOT_CREDENTIALS_FILE_KEY)) {
      group.rootKey = rootKey(dir.resolve("root.credentials"));
      shared.setProperty(
          MasterConfigKeys.AUTH_ROOT_CREDENTIALS_FILE_KEY,
          dir.resolve("root.credentials").toString());
      // Beside the root key, as deploy/cluster makes it: the masters then keep users.
      if (!overrides.containsKey(MasterConfigKeys.AUTH_USER_KEY_FILE_KEY)) {
        userKey(dir.resolve("user.key"));
        shared.setProperty(
            MasterConfigKeys.AUTH_USER_KEY_FILE_KEY, dir.resolve("user.key").toString());
      }
    }
    for (int i = 1; i <= size; i++) {
      Properties props = new Properties();
      props.putAll(shared);
      props.setProperty(MasterConfigKeys.ID_KEY, "m" + i);
      props.setProperty(MasterConfigKeys.PEERS_KEY, String.join(",", peers));
      props.setProperty(MasterConfigKeys.STORAGE_DIR_KEY, dir.resolve("m" + i).toString());
      props.setProperty(MasterConfigKeys.HTTP_BIND_HOST_KEY, placement.host("m" + i));
      props.setProperty(MasterConfigKeys.TLS_ENABLED_KEY, Boolean.toString(certificates != null));
      if (certificates != null) {
        TlsFiles tls = certificates.master("m" + i);
        props.setProperty(MasterConfigKeys.TLS_CA_FILE_KEY, tls.caFile().toString());
        props.setProperty(MasterConfigKeys.TLS_CERT_FILE_KEY, tls.certFile().toString());
        props.setProperty(MasterConfigKeys.TLS_KEY_FILE_KEY, tls.keyFile().toString());
        props.setProperty(MasterConfigKeys.TLS_CRL_FILE_KEY, tls.crlFile().toString());
      }
      props.putAll(overrides);
      group.configs.add(props);
      if (jvms != null) {
        String name = "m" + i;
        group.processes[i - 1] =
            new ClusterProcess(
                name,
                true,
                group.httpAddresses.get(i - 1),
                dir.resolve(name),
                write(props, dir.resolve(name + ".conf")),
                placement.commandPrefix(name),
                jvms.masterFlags());
      }
    }
    try {
      for (int i = 0; i < size; i++) {
        group.restart(i);
      }
    } catch (RuntimeException | Error e) {
      group.close();
      throw e;
    }
    return group;
  }

  /** The key in {@code file}, made there first if there is none. */
  private static AccessKey rootKey(Path file) {
    try {
      if (!Files.exists(file)) {
        CredentialsFile.create(file, AccessKey.generate());
      }
      return CredentialsFile.read(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Makes the masters' user key in {@code file} unless there is one. */
  private static void userKey(Path file) {
    try {
      if (!Files.exists(file)) {
        UserKey.create(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts master {@code index} again (after {@link #stop} or {@link #kill}); it recovers. */
  public void restart(int index) {
    if (processes != null) {
      processes[index].jvm().start();
      return;
    }
    if (servers[index] != null) {
      throw new IllegalStateException("master " + index + " is running");
    }
    try {
      servers[index] = MasterServer.start(MasterConfig.from(configs.get(index)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops master {@code index} in an orderly way (its storage stays). */
  public void stop(int index) {
    if (processes != null) {
      processes[index].jvm().stop();
      return;
    }
    try {
      if (servers[index] != null) {
        servers[index].close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      servers[index] = null;
    }
  }

  /** SIGKILL of master {@code index}'s JVM: nothing is flushed that was not already. */
  public void kill(int index) {
    requireSeparateJvms("kill");
    processes[index].jvm().kill();
  }

  /** The masters' processes, in index order (masters in JVMs of their own only). */
  public List<ClusterProcess> processes() {
    requireSeparateJvms("processes");
    return List.of(processes);
  }

  public int size() {
    return configs.size();
  }

  /** Master {@code index}'s server, to look inside it; null while it is stopped. */
  public MasterServer master(int index) {
    if (processes != null) {
      throw new IllegalStateException("masters run in JVMs of their own: no server to look into");
    }
    return servers[index];
  }

  /** Index of the ready leader, waiting for one. */
  public int awaitLeader() {
    return processes != null ? awaitLeaderNamedByCluster() : awaitLeaderInThisJvm();
  }

  private int awaitLeaderInThisJvm() {
    return Await.value(
        LEADER_TIMEOUT,
        "a ready leader",
        () -> {
          for (int i = 0; i < servers.length; i++) {
            if (servers[i] != null && servers[i].isLeader()) {
              return i;
            }
          }
          return null;
        });
  }

  private int awaitLeaderNamedByCluster() {
    awaitRunningJvmsServing();
    try (MetaClient client = newClient()) {
      return Await.value(
          LEADER_TIMEOUT,
          "a leader named by the cluster status",
          () -> {
            try {
              String leaderId = client.clusterStatus().getLeaderId();
              return leaderId.isEmpty() ? null : Integer.parseInt(leaderId.substring(1)) - 1;
            } catch (RuntimeException noLeaderYet) {
              return null;
            }
          });
    }
  }

  /** Waits until every master JVM that runs accepts connections on its HTTP port. */
  private void awaitRunningJvmsServing() {
    for (int i = 0; i < processes.length; i++) {
      JvmProcess process = processes[i].jvm();
      String address = httpAddresses.get(i);
      Await.until(
          JVM_START_TIMEOUT,
          "master " + i + " (" + address + ") to serve HTTP",
          () -> !process.running() || accepts(address));
    }
  }

  private static boolean accepts(String address) {
    int colon = address.lastIndexOf(':');
    try (Socket socket = new Socket()) {
      socket.connect(
          new InetSocketAddress(
              address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))),
          1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Waits until every running master has applied the same log index. */
  public void awaitAppliedIndexesEqual() {
    requireInThisJvm("awaitAppliedIndexesEqual");
    Await.until(
        LEADER_TIMEOUT,
        "all running masters to apply the same index",
        () ->
            Arrays.stream(servers)
                .map(server -> server == null ? "stopped" : Long.toString(server.appliedIndex()))
                .toList(),
        applied -> applied.stream().filter(a -> !a.equals("stopped")).distinct().count() <= 1);
  }

  public List<String> httpAddresses() {
    return List.copyOf(httpAddresses);
  }

  /**
   * The superuser's key the masters were given, made for them; null when the test set its own
   * credentials file or switched authentication off.
   */
  public AccessKey rootKey() {
    return rootKey;
  }

  /** What clients of these masters trust: their CA; null when they speak plaintext. */
  public TlsIdentity clientTls() {
    return clientTls;
  }

  /** A client signing with {@link #rootKey}, over TLS when the masters speak it. */
  public MetaClient newClient() {
    return new MetaClient(httpAddresses, MetaClientOptions.DEFAULTS, rootKey, clientTls);
  }

  @Override
  public void close() {
    for (int i = 0; i < size(); i++) {
      try {
        stop(i);
      } catch (RuntimeException e) {
        // Stop the others anyway.
      }
    }
  }

  private void requireSeparateJvms(String operation) {
    if (processes == null) {
      throw new IllegalStateException(operation + " needs masters in JVMs of their own");
    }
  }

  private void requireInThisJvm(String operation) {
    if (processes != null) {
      throw new IllegalStateException(operation + " needs masters in this JVM");
    }
  }

  private static Path write(Properties props, Path file) {
    try (OutputStream out = Files.newOutputStream(file)) {
      props.store(out, "written by MiniRaftfsCluster");
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
