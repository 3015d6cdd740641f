package io.raftfs.data.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;

/**
 * Every data node setting: its key, its typed default and the getter that validates it. No other
 * class reads a raw property string.
 */
public final class DataNodeConfigKeys {
  public static final String PREFIX = "raftfs.datanode";

  /** Directory holding the blocks, the node id and the temp files. Required. */
  public static final String DIR_KEY = PREFIX + ".dir";

  public static Path dir(Properties p) {
    return Path.of(new Settings(p).required(DIR_KEY));
  }

  /** Comma-separated master HTTP addresses (host:port). Empty: no masters (tests, benchmarks). */
  public static final String MASTERS_KEY = "raftfs.masters";

  public static final String MASTERS_DEFAULT = "";

  public static List<String> masters(Properties p) {
    String value = new Settings(p).string(MASTERS_KEY, MASTERS_DEFAULT);
    if (value.isEmpty()) {
      return List.of();
    }
    List<String> addresses = Arrays.stream(value.split(",")).map(String::trim).toList();
    for (String address : addresses) {
      requireHostPort(MASTERS_KEY, address);
    }
    return addresses;
  }

  /**
   * Bytes a block write may never eat into: a write that would leave less than this free is refused
   * (507) before anything is written.
   */
  public static final String RESERVE_BYTES_KEY = PREFIX + ".reserve.bytes";

  public static final long RESERVE_BYTES_DEFAULT = 256L << 20;

  public static long reserveBytes(Properties p) {
    return new Settings(p).longValue(RESERVE_BYTES_KEY, RESERVE_BYTES_DEFAULT, 0, Long.MAX_VALUE);
  }

  /** Upper bound on the bytes of block data this node stores. Default: the disk's usable space. */
  public static final String CAPACITY_BYTES_KEY = PREFIX + ".capacity.bytes";

  public static OptionalLong capacityBytes(Properties p) {
    long value = new Settings(p).longValue(CAPACITY_BYTES_KEY, -1, 1, Long.MAX_VALUE);
    return value < 0 ? OptionalLong.empty() : OptionalLong.of(value);
  }

  public static final class Http {
    private Http() {}

    public static final String PREFIX = DataNodeConfigKeys.PREFIX + ".http";

    public static final String HOST_KEY = PREFIX + ".host";
    public static final String HOST_DEFAULT = "127.0.0.1";

    public static String host(Properties p) {
      String host = new Settings(p).string(HOST_KEY, HOST_DEFAULT);
      if (host.isEmpty()) {
        throw new ConfigException(HOST_KEY + " must not be empty");
      }
      return host;
    }

    /** 0 picks any free port (tests); the bound port is in {@code DataNode.httpAddress()}. */
    public static final String PORT_KEY = PREFIX + ".port";

    public static final int PORT_DEFAULT = 0;

    public static int port(Properties p) {
      return (int) new Settings(p).longValue(PORT_KEY, PORT_DEFAULT, 0, 65535);
    }
  }

  public static final class Heartbeat {
    private Heartbeat() {}

    public static final String INTERVAL_MS_KEY = PREFIX + ".heartbeat.interval.ms";
    public static final Duration INTERVAL_DEFAULT = Duration.ofSeconds(1);

    public static Duration interval(Properties p) {
      return Duration.ofMillis(
          new Settings(p).longValue(INTERVAL_MS_KEY, INTERVAL_DEFAULT.toMillis(), 10, 3_600_000));
    }
  }

  public static final class BlockReport {
    private BlockReport() {}

    /**
     * Period of full block reports: a safety net only, since a master that may have missed an
     * incremental report (a failed send, a new registration) is sent a full one at once. Every full
     * report lists every block of the node and makes each master walk its whole replica map: once a
     * minute, with 300 k blocks per node, nine such reports a minute over three masters. HDFS waits
     * 6 hours.
     */
    public static final String INTERVAL_MS_KEY = PREFIX + ".blockreport.interval.ms";

    public static final Duration INTERVAL_DEFAULT = Duration.ofHours(1);

    public static Duration interval(Properties p) {
      return Duration.ofMillis(
          new Settings(p).longValue(INTERVAL_MS_KEY, INTERVAL_DEFAULT.toMillis(), 10, 86_400_000));
    }

    /**
     * How often the blocks stored and deleted since the last report go to each master. One report
     * per block cost every master an HTTP request per replica (600 a second per data node at 400
     * small puts/s); the leader knows a new block's replicas from its own placement meanwhile, and
     * the other masters learn them long before one of them can be elected.
     */
    public static final String INCREMENTAL_INTERVAL_MS_KEY =
        PREFIX + ".blockreport.incremental.interval.ms";

    public static final Duration INCREMENTAL_INTERVAL_DEFAULT = Duration.ofMillis(100);

    public static Duration incrementalInterval(Properties p) {
      return Duration.ofMillis(
          new Settings(p)
              .longValue(
                  INCREMENTAL_INTERVAL_MS_KEY, INCREMENTAL_INTERVAL_DEFAULT.toMillis(), 1, 60_000));
    }
  }

  public static final class Scrubber {
    private Scrubber() {}

    /**
     * How fast the background scrubber re-reads stored blocks to check them against their chunk
     * CRC32Cs; 0 turns it off. Opening a block counts as 256 KiB more. At the default a node with 1
     * TiB of blocks is checked about every 9 hours, one with a million 4 KiB blocks every 2.3.
     */
    public static final String BYTES_PER_SECOND_KEY = PREFIX + ".scrubber.bytes.per.second";

    public static final long BYTES_PER_SECOND_DEFAULT = 32L << 20;

    public static long bytesPerSecond(Properties p) {
      return new Settings(p)
          .longValue(BYTES_PER_SECOND_KEY, BYTES_PER_SECOND_DEFAULT, 0, Long.MAX_VALUE / 1000);
    }
  }

  /** Keys under {@link #PREFIX}; anything else there is a typo worth failing on. */
  static final Set<String> KNOWN_KEYS =
      Set.of(
          DIR_KEY,
          RESERVE_BYTES_KEY,
          CAPACITY_BYTES_KEY,
          Http.HOST_KEY,
          Http.PORT_KEY,
          Heartbeat.INTERVAL_MS_KEY,
          BlockReport.INTERVAL_MS_KEY,
          BlockReport.INCREMENTAL_INTERVAL_MS_KEY,
          Scrubber.BYTES_PER_SECOND_KEY);

  static void requireHostPort(String key, String address) {
    int colon = address.lastIndexOf(':');
    boolean valid = colon > 0 && colon < address.length() - 1;
    if (valid) {
      try {
        int port = Integer.parseInt(address.substring(colon + 1));
        valid = port > 0 && port <= 65535;
      } catch (NumberFormatException e) {
        valid = false;
      }
    }
    if (!valid) {
      throw new ConfigException(key + ": '" + address + "' is not host:port");
    }
  }

  private DataNodeConfigKeys() {}
}
