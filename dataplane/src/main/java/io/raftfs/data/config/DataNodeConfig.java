package io.raftfs.data.config;

import io.raftfs.config.ConfigException;
import io.raftfs.config.ConfigKey;
import io.raftfs.data.replication.UploadLimits;
import io.raftfs.data.scrub.ScrubSchedule;
import io.raftfs.tls.TlsFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;

/**
 * The validated settings of one data node. Built from properties (a config file, {@code --set}
 * overrides) or, in tests and other modules, with {@link #builder(Path)}; both go through the same
 * checks in {@link DataNodeConfigKeys}.
 */
public final class DataNodeConfig {
  private final Properties properties;
  private final Path dir;
  private final String httpHost;
  private final int httpPort;
  private final List<String> masters;
  private final long reserveBytes;
  private final OptionalLong capacityBytes;
  private final UploadLimits uploadLimits;
  private final Duration heartbeatInterval;
  private final Duration blockReportInterval;
  private final Duration incrementalReportInterval;
  private final ScrubSchedule scrubSchedule;
  private final TlsFiles tls; // null: plaintext

  private DataNodeConfig(Properties properties) {
    this.properties = properties;
    DataNodeConfigKeys.ALL.checkKnown(properties);
    this.dir = DataNodeConfigKeys.DIR.get(properties);
    this.httpHost = DataNodeConfigKeys.Http.HOST.get(properties);
    this.httpPort = DataNodeConfigKeys.Http.PORT.get(properties);
    this.masters = DataNodeConfigKeys.MASTERS.get(properties);
    this.reserveBytes = DataNodeConfigKeys.RESERVE_BYTES.get(properties);
    this.capacityBytes =
        DataNodeConfigKeys.CAPACITY_BYTES
            .find(properties)
            .map(OptionalLong::of)
            .orElse(OptionalLong.empty());
    this.uploadLimits =
        new UploadLimits(
            DataNodeConfigKeys.BLOCK_MAX_BYTES.get(properties),
            DataNodeConfigKeys.Upload.PACE_WINDOW.get(properties),
            DataNodeConfigKeys.Upload.MIN_BYTES_PER_SECOND.get(properties));
    this.heartbeatInterval = DataNodeConfigKeys.Heartbeat.INTERVAL.get(properties);
    this.blockReportInterval = DataNodeConfigKeys.BlockReport.INTERVAL.get(properties);
    this.incrementalReportInterval =
        DataNodeConfigKeys.BlockReport.INCREMENTAL_INTERVAL.get(properties);
    this.scrubSchedule =
        new ScrubSchedule(
            DataNodeConfigKeys.Scrubber.BYTES_PER_SECOND.get(properties),
            DataNodeConfigKeys.Scrubber.PERIOD.get(properties),
            DataNodeConfigKeys.Scrubber.QUIET.get(properties));
    this.tls =
        DataNodeConfigKeys.Tls.ENABLED.get(properties)
            ? new TlsFiles(
                requiredForTls(properties, DataNodeConfigKeys.Tls.CA_FILE),
                requiredForTls(properties, DataNodeConfigKeys.Tls.CERT_FILE),
                requiredForTls(properties, DataNodeConfigKeys.Tls.KEY_FILE),
                DataNodeConfigKeys.Tls.CRL_FILE.find(properties).orElse(null))
            : null;
  }

  private static Path requiredForTls(Properties properties, ConfigKey<Path> key) {
    return key.find(properties)
        .orElseThrow(
            () ->
                new ConfigException(
                    key.name()
                        + " is required while "
                        + DataNodeConfigKeys.Tls.ENABLED.name()
                        + " is true (see docs/security.md)"));
  }

  /**
   * Validates {@code properties}.
   *
   * @throws io.raftfs.config.ConfigException naming the first bad or unknown key
   */
  public static DataNodeConfig fromProperties(Properties properties) {
    Properties copy = new Properties();
    copy.putAll(properties);
    return new DataNodeConfig(copy);
  }

  /**
   * Settings for a node in {@code dir}, in code (tests, benchmarks, embedding): plaintext unless
   * {@link Builder#tls} gives it certificates, where a config file is TLS unless it says otherwise.
   */
  public static Builder builder(Path dir) {
    return new Builder()
        .set(DataNodeConfigKeys.DIR, dir)
        .set(DataNodeConfigKeys.Tls.ENABLED, false);
  }

  public Path dir() {
    return dir;
  }

  public String httpHost() {
    return httpHost;
  }

  public int httpPort() {
    return httpPort;
  }

  public List<String> masters() {
    return masters;
  }

  public long reserveBytes() {
    return reserveBytes;
  }

  public OptionalLong capacityBytes() {
    return capacityBytes;
  }

  /** Longest block a PUT may announce, and how fast its body must come. */
  public UploadLimits uploadLimits() {
    return uploadLimits;
  }

  public Duration heartbeatInterval() {
    return heartbeatInterval;
  }

  public Duration blockReportInterval() {
    return blockReportInterval;
  }

  public Duration incrementalReportInterval() {
    return incrementalReportInterval;
  }

  /** This node's TLS files; empty when it speaks plaintext. */
  public Optional<TlsFiles> tls() {
    return Optional.ofNullable(tls);
  }

  /** When and how fast the block scrubber reads. */
  public ScrubSchedule scrubSchedule() {
    return scrubSchedule;
  }

  /** A copy of the settings as properties, e.g. to restart a node with the same config. */
  public Properties toProperties() {
    Properties copy = new Properties();
    copy.putAll(properties);
    return copy;
  }

  /** A builder that keeps the key names, so the same validation applies. */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.properties.putAll(properties);
    return builder;
  }

  public static final class Builder {
    private final Properties properties = new Properties();

    private Builder() {}

    public Builder set(String key, String value) {
      properties.setProperty(key, value);
      return this;
    }

    public <T> Builder set(ConfigKey<T> key, T value) {
      return set(key.name(), key.type().format(value));
    }

    public Builder httpHost(String host) {
      return set(DataNodeConfigKeys.Http.HOST, host);
    }

    public Builder httpPort(int port) {
      return set(DataNodeConfigKeys.Http.PORT, port);
    }

    public Builder masters(List<String> addresses) {
      return set(DataNodeConfigKeys.MASTERS, addresses);
    }

    public Builder reserveBytes(long bytes) {
      return set(DataNodeConfigKeys.RESERVE_BYTES, bytes);
    }

    public Builder capacityBytes(long bytes) {
      return set(DataNodeConfigKeys.CAPACITY_BYTES, bytes);
    }

    public Builder blockMaxBytes(long bytes) {
      return set(DataNodeConfigKeys.BLOCK_MAX_BYTES, bytes);
    }

    public Builder uploadPace(Duration window, long minBytesPerSecond) {
      set(DataNodeConfigKeys.Upload.PACE_WINDOW, window);
      return set(DataNodeConfigKeys.Upload.MIN_BYTES_PER_SECOND, minBytesPerSecond);
    }

    public Builder heartbeatInterval(Duration interval) {
      return set(DataNodeConfigKeys.Heartbeat.INTERVAL, interval);
    }

    public Builder blockReportInterval(Duration interval) {
      return set(DataNodeConfigKeys.BlockReport.INTERVAL, interval);
    }

    public Builder incrementalReportInterval(Duration interval) {
      return set(DataNodeConfigKeys.BlockReport.INCREMENTAL_INTERVAL, interval);
    }

    /** TLS with these files. */
    public Builder tls(TlsFiles files) {
      set(DataNodeConfigKeys.Tls.ENABLED, true);
      set(DataNodeConfigKeys.Tls.CA_FILE, files.caFile());
      set(DataNodeConfigKeys.Tls.CERT_FILE, files.certFile());
      if (files.crlFile() != null) {
        set(DataNodeConfigKeys.Tls.CRL_FILE, files.crlFile());
      }
      return set(DataNodeConfigKeys.Tls.KEY_FILE, files.keyFile());
    }

    public Builder scrubberBytesPerSecond(long bytesPerSecond) {
      return set(DataNodeConfigKeys.Scrubber.BYTES_PER_SECOND, bytesPerSecond);
    }

    /** One pass over every block per {@code period}; zero turns the scrubber off. */
    public Builder scrubberPeriod(Duration period) {
      return set(DataNodeConfigKeys.Scrubber.PERIOD, period);
    }

    public Builder scrubberQuiet(Duration quiet) {
      return set(DataNodeConfigKeys.Scrubber.QUIET, quiet);
    }

    public DataNodeConfig build() {
      return fromProperties(properties);
    }
  }
}
