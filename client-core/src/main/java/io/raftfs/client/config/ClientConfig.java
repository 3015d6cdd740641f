package io.raftfs.client.config;

import io.raftfs.auth.AccessKey;
import io.raftfs.client.config.ClientConfigKeys.Auth;
import io.raftfs.client.config.ClientConfigKeys.DataNode;
import io.raftfs.client.config.ClientConfigKeys.Meta;
import io.raftfs.client.config.ClientConfigKeys.Placement;
import io.raftfs.client.config.ClientConfigKeys.Tls;
import io.raftfs.client.config.ClientConfigKeys.Transfer;
import io.raftfs.client.meta.MetaClientOptions;
import io.raftfs.config.ConfigException;
import io.raftfs.config.ConfigKey;
import io.raftfs.tls.TlsIdentity;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The checked settings of a client: timeouts and parallelism of its transfers and metadata calls.
 * Built from properties (the {@code raftfs} command's config file) or in code:
 *
 * <pre>{@code
 * ClientConfig config =
 *     ClientConfig.builder().set(ClientConfigKeys.Transfer.PARALLELISM, 8).build();
 * try (FileSystemClient fs = new FileSystemClient(masters, config)) { ... }
 * }</pre>
 *
 * Both ways go through the same checks in {@link ClientConfigKeys}, unknown {@code raftfs.} keys
 * included.
 */
public final class ClientConfig {
  public static final ClientConfig DEFAULTS = fromProperties(new Properties());

  private final Properties properties;
  private final List<String> masters;
  private final Optional<AccessKey> credentials;
  private final Optional<TlsIdentity> tls;
  private final int transferParallelism;
  private final int filesInFlight;
  private final Duration connectTimeout;
  private final Duration putAnswerTimeout;
  private final Duration putAnswerTimeoutPerMiB;
  private final Duration stallTimeout;
  private final Duration connectionIdle;
  private final Duration placementPatience;
  private final int reserveBatch;
  private final int reserveSize;
  private final Duration reserveMaxAge;
  private final MetaClientOptions metaOptions;
  private final int umask;

  private ClientConfig(Properties properties) {
    ClientConfigKeys.ALL.checkKnown(properties);
    this.properties = properties;
    this.masters = ClientConfigKeys.MASTERS.get(properties);
    this.credentials = credentials(properties);
    this.tls = tls(properties);
    this.umask = ClientConfigKeys.UMASK.get(properties);
    this.transferParallelism = Transfer.PARALLELISM.get(properties);
    this.filesInFlight = Transfer.FILES.get(properties);
    this.connectTimeout = DataNode.CONNECT_TIMEOUT.get(properties);
    this.putAnswerTimeout = DataNode.PUT_ANSWER_TIMEOUT.get(properties);
    this.putAnswerTimeoutPerMiB = DataNode.PUT_ANSWER_TIMEOUT_PER_MIB.get(properties);
    this.stallTimeout = DataNode.STALL_TIMEOUT.get(properties);
    this.connectionIdle = DataNode.CONNECTION_IDLE.get(properties);
    this.placementPatience = Placement.PATIENCE.get(properties);
    this.reserveBatch = Placement.Reserve.BATCH.get(properties);
    this.reserveSize = Placement.Reserve.SIZE.get(properties);
    this.reserveMaxAge = Placement.Reserve.MAX_AGE.get(properties);
    this.metaOptions =
        new MetaClientOptions(
            Meta.CALL_DEADLINE.get(properties),
            Meta.ATTEMPT_TIMEOUT.get(properties),
            Meta.RETRY_PAUSE_MAX.get(properties));
  }

  private static Optional<AccessKey> credentials(Properties properties) {
    Optional<String> id = Auth.ACCESS_KEY.find(properties);
    Optional<String> secret = Auth.SECRET_KEY.find(properties);
    if (id.isPresent() != secret.isPresent()) {
      throw new ConfigException(
          Auth.ACCESS_KEY.name() + " and " + Auth.SECRET_KEY.name() + " go together: set both");
    }
    try {
      return id.map(keyId -> new AccessKey(keyId, secret.get()));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(Auth.ACCESS_KEY.name() + ": " + e.getMessage());
    }
  }

  private static Optional<TlsIdentity> tls(Properties properties) {
    Optional<Path> caFile = Tls.CA_FILE.find(properties);
    Path crlFile = Tls.CRL_FILE.find(properties).orElse(null);
    if (caFile.isEmpty()) {
      if (crlFile != null) {
        throw new ConfigException(
            Tls.CRL_FILE.name() + " goes with " + Tls.CA_FILE.name() + ": set both");
      }
      return Optional.empty();
    }
    try {
      return Optional.of(TlsIdentity.trusting(caFile.get(), crlFile));
    } catch (IOException e) {
      boolean crl = crlFile != null && e.getMessage().startsWith(crlFile.toString());
      throw new ConfigException((crl ? Tls.CRL_FILE : Tls.CA_FILE).name() + ": " + e.getMessage());
    }
  }

  /**
   * Checks {@code properties}.
   *
   * @throws io.raftfs.config.ConfigException naming the first bad or unknown key
   */
  public static ClientConfig fromProperties(Properties properties) {
    Properties copy = new Properties();
    copy.putAll(properties);
    return new ClientConfig(copy);
  }

  public static Builder builder() {
    return new Builder(new Properties());
  }

  /** A builder starting from these settings. */
  public Builder toBuilder() {
    return new Builder(properties);
  }

  /** The masters named by {@code raftfs.masters}; empty when it is not set. */
  public List<String> masters() {
    return masters;
  }

  /** The key pair that signs metadata requests, if set. */
  public Optional<AccessKey> credentials() {
    return credentials;
  }

  /** The CA that connections trust, over TLS; empty: plaintext. */
  public Optional<TlsIdentity> tls() {
    return tls;
  }

  /** The permission bits new files and directories go without. */
  public int umask() {
    return umask;
  }

  public int transferParallelism() {
    return transferParallelism;
  }

  /** Files moved at once by a tree transfer ({@code put -R}, {@code get -R}). */
  public int filesInFlight() {
    return filesInFlight;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** How long the answer to the upload of a block of {@code bytes} may take. */
  public Duration putAnswerTimeout(long bytes) {
    return putAnswerTimeout.plus(putAnswerTimeoutPerMiB.multipliedBy(bytes >> 20));
  }

  public Duration stallTimeout() {
    return stallTimeout;
  }

  public Duration connectionIdle() {
    return connectionIdle;
  }

  public Duration placementPatience() {
    return placementPatience;
  }

  public int reserveBatch() {
    return reserveBatch;
  }

  public int reserveSize() {
    return reserveSize;
  }

  public Duration reserveMaxAge() {
    return reserveMaxAge;
  }

  /** How the metadata client retries. */
  public MetaClientOptions metaOptions() {
    return metaOptions;
  }

  public static final class Builder {
    private final Properties properties = new Properties();

    private Builder(Properties start) {
      properties.putAll(start);
    }

    public <T> Builder set(ConfigKey<T> key, T value) {
      return set(key.name(), key.type().format(value));
    }

    /** Signs metadata requests with {@code key}. */
    public Builder credentials(AccessKey key) {
      set(Auth.ACCESS_KEY, key.id());
      return set(Auth.SECRET_KEY, key.secret());
    }

    public Builder set(String key, String value) {
      properties.setProperty(key, value);
      return this;
    }

    /**
     * @throws io.raftfs.config.ConfigException naming the first bad or unknown key
     */
    public ClientConfig build() {
      return fromProperties(properties);
    }
  }
}
