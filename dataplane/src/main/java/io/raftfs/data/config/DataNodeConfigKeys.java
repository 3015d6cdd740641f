package io.raftfs.data.config;

import static io.raftfs.config.ConfigTypes.BOOLEAN;
import static io.raftfs.config.ConfigTypes.BYTES;
import static io.raftfs.config.ConfigTypes.DURATION_HOURS;
import static io.raftfs.config.ConfigTypes.DURATION_MS;
import static io.raftfs.config.ConfigTypes.HOST_PORTS;
import static io.raftfs.config.ConfigTypes.INTEGER;
import static io.raftfs.config.ConfigTypes.PATH;
import static io.raftfs.config.ConfigTypes.STRING;

import io.raftfs.config.ConfigKey;
import io.raftfs.config.ConfigKeySet;
import io.raftfs.config.Range;
import io.raftfs.protocol.DataNodeProtocol;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Every data node setting, grouped as their names are. {@link DataNodeConfig} reads them;
 * docs/configuration.md lists them.
 */
public final class DataNodeConfigKeys {
  private DataNodeConfigKeys() {}

  public static final String PREFIX = "raftfs.datanode";

  public static final ConfigKey<Path> DIR =
      ConfigKey.required(
          PREFIX + ".dir", PATH, "Directory of the blocks, their checksums, the node id.");

  public static final ConfigKey<List<String>> MASTERS =
      ConfigKey.define(
          "raftfs.masters",
          HOST_PORTS,
          List.of(),
          "HTTP addresses of all masters: heartbeats and block reports go to every one. Empty:"
              + " no masters (tests, benchmarks).");

  public static final ConfigKey<Long> RESERVE_BYTES =
      ConfigKey.define(
          PREFIX + ".reserve.bytes",
          BYTES,
          256L << 20,
          Range.atLeast(0L),
          "Free disk space no block write may use: a write that would is refused (507) before"
              + " anything is written.");

  public static final ConfigKey<Long> CAPACITY_BYTES =
      ConfigKey.optional(
          PREFIX + ".capacity.bytes",
          BYTES,
          Range.atLeast(1L),
          "the disk's usable space",
          "Most bytes of block data this node stores.");

  /** Uploads below a client's block size fail: keep it at least the clients' block size. */
  public static final ConfigKey<Long> BLOCK_MAX_BYTES =
      ConfigKey.define(
          PREFIX + ".block.max.bytes",
          BYTES,
          DataNodeProtocol.MAX_BLOCK_BYTES,
          Range.between(
              (long) DataNodeProtocol.SMALL_BLOCK_MAX_BYTES, DataNodeProtocol.MAX_BLOCK_BYTES),
          "Longest block this node accepts: a PUT announcing more is refused (413) before any"
              + " space is reserved. At most what masters commit (4 GiB - 1 byte).");

  /** A PUT holds its reservation until its body ends: a trickling sender must not keep it. */
  public static final class Upload {
    private Upload() {}

    public static final ConfigKey<Duration> PACE_WINDOW =
        ConfigKey.define(
            PREFIX + ".upload.pace.window.ms",
            DURATION_MS,
            Duration.ofSeconds(30),
            Range.between(Duration.ofMillis(10), Duration.ofMinutes(10)),
            "A PUT body that brings less than the minimum rate's worth of bytes in a window this"
                + " long (not counting time this node held it back) is cut off with 408, its"
                + " space and temp file released.");

    public static final ConfigKey<Long> MIN_BYTES_PER_SECOND =
        ConfigKey.define(
            PREFIX + ".upload.min.bytes.per.second",
            BYTES,
            16L << 10,
            Range.between(0L, 1L << 30),
            "Slowest rate a PUT body may arrive at, averaged over each pace window; 0: any byte"
                + " per window will do.");
  }

  public static final class Http {
    private Http() {}

    public static final String PREFIX = DataNodeConfigKeys.PREFIX + ".http";

    public static final ConfigKey<String> HOST =
        ConfigKey.define(
            PREFIX + ".host",
            STRING,
            "127.0.0.1",
            "Address to listen on, also the one masters hand to clients and other nodes: on a"
                + " real network the host's own address, not 0.0.0.0.");

    public static final ConfigKey<Integer> PORT =
        ConfigKey.define(
            PREFIX + ".port",
            INTEGER,
            0,
            Range.between(0, 65535),
            "HTTP port; 0 picks a free one (tests).");
  }

  public static final class Heartbeat {
    private Heartbeat() {}

    public static final ConfigKey<Duration> INTERVAL =
        ConfigKey.define(
            PREFIX + ".heartbeat.interval.ms",
            DURATION_MS,
            Duration.ofSeconds(1),
            Range.between(Duration.ofMillis(10), Duration.ofHours(1)),
            "Heartbeat period, to every master.");
  }

  public static final class BlockReport {
    private BlockReport() {}

    /** A safety net only: a master that may have missed an incremental report gets a full one. */
    public static final ConfigKey<Duration> INTERVAL =
        ConfigKey.define(
            PREFIX + ".blockreport.interval.ms",
            DURATION_MS,
            Duration.ofHours(1),
            Range.between(Duration.ofMillis(10), Duration.ofDays(1)),
            "Period of full block reports, each of which makes every master walk this node's"
                + " replicas.");

    /** Batched, because one report per block cost every master a request per replica. */
    public static final ConfigKey<Duration> INCREMENTAL_INTERVAL =
        ConfigKey.define(
            PREFIX + ".blockreport.incremental.interval.ms",
            DURATION_MS,
            Duration.ofMillis(100),
            Range.between(Duration.ofMillis(1), Duration.ofMinutes(1)),
            "How often the blocks stored and deleted since the last report go to every master.");
  }

  /** The block scrubber: see docs/architecture.md#self-healing. */
  public static final class Scrubber {
    private Scrubber() {}

    public static final ConfigKey<Long> BYTES_PER_SECOND =
        ConfigKey.define(
            PREFIX + ".scrubber.bytes.per.second",
            BYTES,
            32L << 20,
            Range.between(0L, 1L << 40),
            "Most bytes per second the scrubber reads to check stored blocks against their chunk"
                + " CRC32Cs (opening a block counts 256 KiB); 0 turns it off.");

    /** HDFS's dfs.datanode.scan.period.hours is three weeks; two leave a margin for busy days. */
    public static final ConfigKey<Duration> PERIOD =
        ConfigKey.define(
            PREFIX + ".scrubber.period.hours",
            DURATION_HOURS,
            Duration.ofDays(14),
            Range.between(Duration.ZERO, Duration.ofDays(366)),
            "The scrubber checks every block once per period, reading no faster than that needs"
                + " (bytes stored / period) up to bytes.per.second; 0 turns it off. Hours, or with"
                + " a unit (14d, 30s).");

    public static final ConfigKey<Duration> QUIET =
        ConfigKey.define(
            PREFIX + ".scrubber.quiet.ms",
            DURATION_MS,
            Duration.ofSeconds(1),
            Range.between(Duration.ZERO, Duration.ofMinutes(10)),
            "The scrubber reads nothing while clients read or write blocks here, nor until this"
                + " long after the last such transfer ended; it catches up while the node is idle.");
  }

  /** TLS on the HTTP port and toward masters and other data nodes: see docs/security.md. */
  public static final class Tls {
    private Tls() {}

    public static final String PREFIX = DataNodeConfigKeys.PREFIX + ".tls";

    public static final ConfigKey<Boolean> ENABLED =
        ConfigKey.define(
            PREFIX + ".enabled",
            BOOLEAN,
            true,
            "Every connection to and from this node uses TLS with the certificates below; false"
                + " keeps plaintext, for benchmarks on a private network.");

    public static final ConfigKey<Path> CA_FILE =
        ConfigKey.optional(
            PREFIX + ".ca.file",
            PATH,
            null,
            "required while TLS is enabled",
            "PEM certificate of the cluster's CA: the only issuer this node trusts.");

    public static final ConfigKey<Path> CERT_FILE =
        ConfigKey.optional(
            PREFIX + ".cert.file",
            PATH,
            null,
            "required while TLS is enabled",
            "PEM certificate of this node, naming raftfs://datanode/ID (the id in the data"
                + " directory's node-id file) and its host's names (raftfs admin cert issue --role"
                + " datanode).");

    public static final ConfigKey<Path> KEY_FILE =
        ConfigKey.optional(
            PREFIX + ".key.file",
            PATH,
            null,
            "required while TLS is enabled",
            "PEM (PKCS#8, unencrypted) private key of the certificate, readable by its owner"
                + " only.");

    public static final ConfigKey<Path> CRL_FILE =
        ConfigKey.optional(
            PREFIX + ".crl.file",
            PATH,
            null,
            "no certificate is revoked",
            "PEM revocation lists of the cluster's CA (X509 CRL; raftfs admin cert revoke writes"
                + " them): certificates they name fail the handshake. Re-read within seconds when"
                + " the file changes; no restart needed.");
  }

  public static final ConfigKeySet ALL =
      ConfigKeySet.of(
          "Data node",
          "`raftfs-datanode --config datanode.conf [--set key=value ...]` reads them.",
          List.of(
              DIR,
              MASTERS,
              Http.HOST,
              Http.PORT,
              RESERVE_BYTES,
              CAPACITY_BYTES,
              BLOCK_MAX_BYTES,
              Upload.PACE_WINDOW,
              Upload.MIN_BYTES_PER_SECOND,
              Heartbeat.INTERVAL,
              BlockReport.INTERVAL,
              BlockReport.INCREMENTAL_INTERVAL,
              Scrubber.BYTES_PER_SECOND,
              Scrubber.PERIOD,
              Scrubber.QUIET,
              Tls.ENABLED,
              Tls.CA_FILE,
              Tls.CERT_FILE,
              Tls.KEY_FILE,
              Tls.CRL_FILE));
}
