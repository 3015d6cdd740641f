package io.raftfs.testing.cluster;

import io.raftfs.data.config.DataNodeConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.UnaryOperator;

/**
 * The data nodes of a {@link MiniRaftfsCluster} each in a JVM of its own ({@code dn1..dnN}), so a
 * test can SIGKILL, SIGSTOP and restart them, or restart one with other settings ({@link
 * #rewriteConfig}).
 */
public final class DataNodeProcesses implements AutoCloseable {
  /** The port of a data node that has an address of its own (the default of deploy/cluster). */
  private static final int HTTP_PORT = 9880;

  private final List<ClusterProcess> nodes = new ArrayList<>();
  private final List<DataNodeConfig> baseConfigs = new ArrayList<>();

  private DataNodeProcesses() {}

  /**
   * Writes {@code count} data nodes' configs under {@code dir} and starts them (without waiting).
   *
   * @param settings applied to each node's config (masters, address and directory already set)
   */
  static DataNodeProcesses start(
      Path dir, int count, JvmLayout jvms, UnaryOperator<DataNodeConfig.Builder> settings) {
    DataNodeProcesses group = new DataNodeProcesses();
    try {
      for (int i = 1; i <= count; i++) {
        String name = "dn" + i;
        Path nodeDir = nodeDir(dir, i - 1);
        String host = jvms.placement().host(name);
        int port = jvms.placement().port(HTTP_PORT);
        DataNodeConfig config =
            settings.apply(DataNodeConfig.builder(nodeDir).httpHost(host).httpPort(port)).build();
        ClusterProcess node =
            new ClusterProcess(
                name,
                false,
                host + ":" + port,
                nodeDir,
                dir.resolve(name + ".conf"),
                jvms.placement().commandPrefix(name),
                jvms.dataNodeFlags());
        group.nodes.add(node);
        group.baseConfigs.add(config);
        write(config, node.config());
      }
      group.nodes.forEach(node -> node.jvm().start());
    } catch (RuntimeException | Error e) {
      group.close();
      throw e;
    }
    return group;
  }

  /** The directory of data node {@code index} (from 0) under {@code dir}. */
  static Path nodeDir(Path dir, int index) {
    return dir.resolve("dn" + (index + 1));
  }

  public List<ClusterProcess> nodes() {
    return List.copyOf(nodes);
  }

  public int size() {
    return nodes.size();
  }

  /**
   * Writes {@code node}'s config anew: its first settings changed by {@code change}. It applies
   * from the node's next start.
   */
  public void rewriteConfig(ClusterProcess node, UnaryOperator<DataNodeConfig.Builder> change) {
    DataNodeConfig base = baseConfigs.get(nodes.indexOf(node));
    write(change.apply(base.toBuilder()).build(), node.config());
  }

  @Override
  public void close() {
    for (ClusterProcess node : nodes) {
      try {
        node.jvm().stop();
      } catch (RuntimeException e) {
        // Stop the others anyway.
      }
    }
  }

  private static void write(DataNodeConfig config, Path file) {
    Properties props = config.toProperties();
    try {
      Files.createDirectories(file.getParent());
      try (OutputStream out = Files.newOutputStream(file)) {
        props.store(out, "written by MiniRaftfsCluster");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
