package io.raftfs.hadoop;

import static io.raftfs.config.ConfigTypes.BYTES;
import static io.raftfs.config.ConfigTypes.HOST_PORTS;
import static io.raftfs.config.ConfigTypes.INTEGER;
import static io.raftfs.config.ConfigTypes.PATH;

import io.raftfs.config.ConfigKey;
import io.raftfs.config.Range;
import io.raftfs.protocol.MetaLimits;
import java.nio.file.Path;
import java.util.List;

/**
 * The settings of {@code raftfs://} in a Hadoop configuration ({@code core-site.xml}, {@code -D},
 * {@code spark.hadoop.*}). Every other {@code fs.raftfs.X} is the client library's {@code
 * raftfs.client.X} ({@link HadoopClientSettings}).
 */
public final class HadoopConfigKeys {
  private HadoopConfigKeys() {}

  public static final String PREFIX = "fs.raftfs";

  /** {@code fs.raftfs.cluster.NAME.masters}: the masters of the logical cluster {@code NAME}. */
  public static final String CLUSTER_PREFIX = PREFIX + ".cluster.";

  public static final String CLUSTER_MASTERS_SUFFIX = ".masters";

  public static final ConfigKey<List<String>> MASTERS =
      ConfigKey.define(
          PREFIX + ".masters",
          HOST_PORTS,
          List.of(),
          "Masters of raftfs:/// URIs without an authority. A URI names its masters"
              + " (raftfs://m1:9871,m2:9871/) or a logical cluster NAME whose masters"
              + " fs.raftfs.cluster.NAME.masters lists.");

  public static final ConfigKey<Long> BLOCK_SIZE =
      ConfigKey.define(
          PREFIX + ".block.size",
          BYTES,
          64L << 20,
          Range.between(MetaLimits.MIN_BLOCK_SIZE, MetaLimits.MAX_BLOCK_SIZE),
          "Block size of new files unless the caller asks for another.");

  public static final ConfigKey<Long> BLOCK_SIZE_MIN =
      ConfigKey.define(
          PREFIX + ".block.size.min",
          BYTES,
          1L << 20,
          Range.between(MetaLimits.MIN_BLOCK_SIZE, MetaLimits.MAX_BLOCK_SIZE),
          "A caller asking for smaller blocks gets blocks of this size: keep it at or above the"
              + " masters' raftfs.master.block-size.min, which refuses smaller ones.");

  public static final ConfigKey<Integer> REPLICATION =
      ConfigKey.define(
          PREFIX + ".replication",
          INTEGER,
          3,
          Range.between(MetaLimits.MIN_REPLICATION, MetaLimits.MAX_REPLICATION),
          "Copies of every block of new files.");

  public static final ConfigKey<Path> CREDENTIALS_FILE =
      ConfigKey.optional(
          PREFIX + ".credentials.file",
          PATH,
          null,
          "fs.raftfs.access.key and fs.raftfs.secret.key, else RAFTFS_ACCESS_KEY and"
              + " RAFTFS_SECRET_KEY",
          "A credentials file (access.key=, secret.key=, readable by its owner only) whose key"
              + " signs metadata requests.");

  public static final ConfigKey<Long> READAHEAD_BYTES =
      ConfigKey.define(
          PREFIX + ".readahead.bytes",
          BYTES,
          4L << 20,
          Range.between(64L << 10, 256L << 20),
          "Bytes an input stream fetches per request once it reads sequentially.");

  public static final ConfigKey<Integer> READAHEAD_REQUESTS =
      ConfigKey.define(
          PREFIX + ".readahead.requests",
          INTEGER,
          4,
          Range.between(1, 64),
          "Requests of readahead.bytes a sequential input stream keeps in flight ahead of"
              + " its position.");

  public static final ConfigKey<Integer> LIST_PAGE_SIZE =
      ConfigKey.define(
          PREFIX + ".list.page.size",
          INTEGER,
          1000,
          Range.between(1, 100_000),
          "Entries per request of listStatusIterator: directories of any size are listed"
              + " without one huge answer.");

  /**
   * Every key above. Not a {@code ConfigKeySet}: those are the {@code raftfs.*} keys of properties
   * files, while these live in Hadoop's configuration; docs/hadoop.md lists them.
   */
  public static final List<ConfigKey<?>> ALL =
      List.of(
          MASTERS,
          BLOCK_SIZE,
          BLOCK_SIZE_MIN,
          REPLICATION,
          CREDENTIALS_FILE,
          READAHEAD_BYTES,
          READAHEAD_REQUESTS,
          LIST_PAGE_SIZE);

  /** True for a key of this file system, not of the client library. */
  static boolean isFileSystemKey(String name) {
    return ALL.stream().anyMatch(key -> key.name().equals(name));
  }
}
