package io.raftfs.hadoop;

import io.raftfs.auth.AccessKey;
import io.raftfs.testing.cluster.MiniRaftfsCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import org.apache.hadoop.conf.Configuration;

/**
 * One test cluster (3 masters, 3 data nodes) for every test class of this JVM: the contract suites
 * are many small classes, and starting a cluster for each would cost most of the module's test
 * time. It starts with the first class that asks and stops when the JVM exits. Tests that kill a
 * master start a cluster of their own.
 */
public final class SharedCluster {
  /**
   * Blocks of one checksum chunk: the tests' files of a few hundred KiB span several blocks, and
   * Hadoop's tests ask for 1 KiB blocks, which become these.
   */
  public static final long SMALL_BLOCK = 64 << 10;

  private static final String BLOCK_SIZE_MIN_KEY = "raftfs.master.block-size.min";

  private static MiniRaftfsCluster cluster;

  private SharedCluster() {}

  /** The running cluster. */
  public static synchronized MiniRaftfsCluster get() {
    if (cluster == null) {
      try {
        cluster =
            MiniRaftfsCluster.builder()
                .dataNodes(3)
                .masterSetting(BLOCK_SIZE_MIN_KEY, Long.toString(SMALL_BLOCK))
                .build()
                .start(Files.createTempDirectory("raftfs-hadoop-cluster"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "shared-cluster-stop"));
    }
    return cluster;
  }

  /** {@code raftfs://} naming the cluster's masters. */
  public static URI uri() {
    return uri(get());
  }

  public static URI uri(MiniRaftfsCluster cluster) {
    return URI.create("raftfs://" + String.join(",", cluster.masterAddresses()) + "/");
  }

  /** Sets the shared cluster's superuser key in {@code conf}; returns it. */
  public static Configuration withCredentials(Configuration conf) {
    return withCredentials(conf, get());
  }

  public static Configuration withCredentials(Configuration conf, MiniRaftfsCluster cluster) {
    cluster
        .clientConfig()
        .credentials()
        .ifPresent(
            (AccessKey key) -> {
              conf.set("fs.raftfs.access.key", key.id());
              conf.set("fs.raftfs.secret.key", key.secret());
            });
    conf.setLong("fs.raftfs.block.size.min", SMALL_BLOCK);
    return conf;
  }
}
