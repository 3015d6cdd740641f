package io.raftfs.meta.testing;

import io.raftfs.client.meta.MetaClient;
import io.raftfs.meta.config.MasterConfig;
import io.raftfs.meta.config.MasterConfigKeys;
import io.raftfs.meta.server.MasterServer;
import io.raftfs.testing.Await;
import io.raftfs.testing.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Real masters (Ratis + HTTP) in one JVM on loopback ports, each with its own storage directory.
 *
 * <pre>{@code
 * try (MiniMetaCluster cluster = MiniMetaCluster.start(tempDir, 3, new Properties());
 *     MetaClient client = cluster.newClient()) {
 *   cluster.awaitLeader();
 *   client.mkdir("/a", false);
 * }
 * }</pre>
 */
public final class MiniMetaCluster implements AutoCloseable {
  public static final Duration LEADER_TIMEOUT = Duration.ofSeconds(30);

  private final List<MasterConfig> configs;
  private final MasterServer[] masters;

  private MiniMetaCluster(List<MasterConfig> configs) {
    this.configs = configs;
    this.masters = new MasterServer[configs.size()];
  }

  /**
   * Starts {@code size} masters under {@code baseDir}; {@code overrides} are applied to every
   * master's configuration (e.g. a small snapshot threshold).
   */
  public static MiniMetaCluster start(Path baseDir, int size, Properties overrides) {
    List<String> peers = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      peers.add("m" + i + "=127.0.0.1:" + FreePorts.next() + ":" + FreePorts.next());
    }
    List<MasterConfig> configs = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      Properties props = new Properties();
      props.setProperty(MasterConfigKeys.ID_KEY, "m" + i);
      props.setProperty(MasterConfigKeys.PEERS_KEY, String.join(",", peers));
      props.setProperty(MasterConfigKeys.STORAGE_DIR_KEY, baseDir.resolve("m" + i).toString());
      props.setProperty(MasterConfigKeys.HTTP_BIND_HOST_KEY, "127.0.0.1");
      props.putAll(overrides);
      configs.add(MasterConfig.from(props));
    }
    MiniMetaCluster cluster = new MiniMetaCluster(configs);
    for (int i = 0; i < size; i++) {
      cluster.restart(i);
    }
    return cluster;
  }

  public static MiniMetaCluster start(Path baseDir) {
    return start(baseDir, 3, new Properties());
  }

  /** Starts master {@code index} again (after {@link #stop}); it recovers from its storage. */
  public void restart(int index) {
    if (masters[index] != null) {
      throw new IllegalStateException("master " + index + " is running");
    }
    try {
      masters[index] = MasterServer.start(configs.get(index));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops master {@code index} (its storage stays). */
  public void stop(int index) {
    try {
      masters[index].close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      masters[index] = null;
    }
  }

  public int size() {
    return masters.length;
  }

  public MasterServer master(int index) {
    return masters[index];
  }

  /** Index of the ready leader, waiting for one. */
  public int awaitLeader() {
    return Await.value(
        LEADER_TIMEOUT,
        "a ready leader",
        () -> {
          for (int i = 0; i < masters.length; i++) {
            if (masters[i] != null && masters[i].isLeader()) {
              return i;
            }
          }
          return null;
        });
  }

  /** Waits until every running master has applied the same log index. */
  public void awaitAppliedIndexesEqual() {
    Await.until(
        LEADER_TIMEOUT,
        "all running masters to apply the same index",
        () -> {
          long applied = -1;
          for (MasterServer master : masters) {
            if (master == null) {
              continue;
            }
            if (applied >= 0 && master.appliedIndex() != applied) {
              return false;
            }
            applied = master.appliedIndex();
          }
          return true;
        });
  }

  public List<String> httpAddresses() {
    return configs.stream().map(config -> config.self().httpAddress()).collect(Collectors.toList());
  }

  public String mastersProperty() {
    return String.join(",", httpAddresses());
  }

  public MetaClient newClient() {
    return new MetaClient(httpAddresses());
  }

  @Override
  public void close() {
    for (int i = 0; i < masters.length; i++) {
      if (masters[i] != null) {
        stop(i);
      }
    }
  }
}
