package io.raftfs.meta.config;

import static io.raftfs.meta.config.MasterConfigKeys.*;

import io.raftfs.config.ConfigException;
import io.raftfs.config.ConfigKey;
import io.raftfs.meta.users.UserNames;
import io.raftfs.tls.TlsFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A master's validated configuration. {@link #from} fails with a {@link ConfigException} whose
 * message names the key and what is wrong with it.
 *
 * @param rootCredentialsFile the superuser's key file; null when requests need no signature
 * @param userKeyFile the masters' user key file; null when the masters keep no users
 * @param superuserGroup whose members may do anything
 * @param tls this master's TLS files; null when it speaks plaintext
 */
public record MasterConfig(
    String id,
    List<PeerAddress> peers,
    Path storageDir,
    String httpBindHost,
    long httpBodyStallTimeoutMs,
    long httpIdleTimeoutMs,
    Path rootCredentialsFile,
    Path userKeyFile,
    String superuserGroup,
    Duration authClockSkew,
    TlsFiles tls,
    Duration blockKeyRollPeriod,
    Duration blockTokenLifetime,
    Duration blockKeyPropagation,
    String clusterId,
    long snapshotThresholdEntries,
    long electionTimeoutMinMs,
    long electionTimeoutMaxMs,
    long stepDownWaitMs,
    Duration shutdownHandoverTimeout,
    long dataNodeDeadTimeoutMs,
    int batchMaxRequests,
    int batchMaxInFlight,
    int batchOverlapMinRequests,
    long raftRequestTimeoutMs,
    long blockIdReservation,
    long repairScanIntervalMs,
    int repairMaxCopiesPerNode,
    long repairCopyTimeoutMs,
    long repairCorruptUnconfirmedTimeoutMs,
    long blockSizeMin,
    long blockSizeMax,
    long orphanGraceMs,
    int s3GatewaysMax,
    long s3GatewayExpiryMs,
    Map<String, String> ratisOverrides) {

  /**
   * Checks {@code props}: every {@code raftfs.} key must be one of {@link MasterConfigKeys#ALL}.
   *
   * @throws ConfigException naming the first bad or unknown key
   */
  public static MasterConfig from(Properties props) {
    ALL.checkKnown(props);
    String id = ID.get(props);
    List<PeerAddress> peers = PEERS.get(props);
    if (peers.stream().noneMatch(peer -> peer.id().equals(id))) {
      throw new ConfigException(
          ID.name()
              + ": '"
              + id
              + "' is not among the peers "
              + peers.stream().map(PeerAddress::id).toList()
              + " ("
              + PEERS.name()
              + ")");
    }
    Duration electionMin = ELECTION_TIMEOUT_MIN.get(props);
    Duration electionMax = ELECTION_TIMEOUT_MAX.get(props);
    if (electionMax.compareTo(electionMin) <= 0) {
      throw new ConfigException(
          ELECTION_TIMEOUT_MAX.name() + " must be above " + ELECTION_TIMEOUT_MIN.name());
    }
    Path rootCredentials = null;
    if (AUTH_ENABLED.get(props)) {
      rootCredentials =
          AUTH_ROOT_CREDENTIALS_FILE
              .find(props)
              .orElseThrow(
                  () ->
                      new ConfigException(
                          AUTH_ROOT_CREDENTIALS_FILE.name()
                              + " is required while "
                              + AUTH_ENABLED.name()
                              + " is true (see docs/security.md)"));
    }
    Path userKeyFile = rootCredentials == null ? null : AUTH_USER_KEY_FILE.find(props).orElse(null);
    String superuserGroup = AUTH_SUPERUSER_GROUP.get(props);
    if (!UserNames.valid(superuserGroup)) {
      throw new ConfigException(
          AUTH_SUPERUSER_GROUP.name()
              + ": '"
              + superuserGroup
              + "' is not a group name (1.."
              + UserNames.MAX_BYTES
              + " characters of a-z 0-9 . _ -)");
    }
    TlsFiles tls = null;
    if (TLS_ENABLED.get(props)) {
      tls =
          new TlsFiles(
              requiredForTls(props, TLS_CA_FILE),
              requiredForTls(props, TLS_CERT_FILE),
              requiredForTls(props, TLS_KEY_FILE),
              TLS_CRL_FILE.find(props).orElse(null));
    }
    Duration rollPeriod = BLOCK_KEY_ROLL_PERIOD.get(props);
    Duration tokenLifetime = BLOCK_TOKEN_LIFETIME.get(props);
    if (tokenLifetime.multipliedBy(2).compareTo(rollPeriod) > 0) {
      throw new ConfigException(
          BLOCK_TOKEN_LIFETIME.name()
              + " must be at most half of "
              + BLOCK_KEY_ROLL_PERIOD.name()
              + ": a key is used for tokens only while it outlives them");
    }
    long blockSizeMin = BLOCK_SIZE_MIN.get(props);
    long blockSizeMax = BLOCK_SIZE_MAX.get(props);
    if (blockSizeMax < blockSizeMin) {
      throw new ConfigException(
          BLOCK_SIZE_MAX.name() + " must be at least " + BLOCK_SIZE_MIN.name());
    }
    return new MasterConfig(
        id,
        peers,
        STORAGE_DIR.get(props),
        HTTP_BIND_HOST.get(props),
        HTTP_BODY_STALL_TIMEOUT.get(props).toMillis(),
        HTTP_IDLE_TIMEOUT.get(props).toMillis(),
        rootCredentials,
        userKeyFile,
        superuserGroup,
        AUTH_CLOCK_SKEW.get(props),
        tls,
        rollPeriod,
        tokenLifetime,
        BLOCK_KEY_PROPAGATION.get(props),
        CLUSTER_ID.get(props),
        SNAPSHOT_THRESHOLD.get(props),
        electionMin.toMillis(),
        electionMax.toMillis(),
        STEP_DOWN_WAIT.get(props).toMillis(),
        SHUTDOWN_HANDOVER_TIMEOUT.get(props),
        DATANODE_DEAD_TIMEOUT.get(props).toMillis(),
        BATCH_MAX_REQUESTS.get(props),
        BATCH_MAX_IN_FLIGHT.get(props),
        BATCH_OVERLAP_MIN_REQUESTS.get(props),
        RAFT_REQUEST_TIMEOUT.get(props).toMillis(),
        BLOCK_ID_RESERVATION.get(props),
        REPAIR_SCAN_INTERVAL.get(props).toMillis(),
        REPAIR_MAX_COPIES_PER_NODE.get(props),
        REPAIR_COPY_TIMEOUT.get(props).toMillis(),
        REPAIR_CORRUPT_UNCONFIRMED_TIMEOUT.get(props).toMillis(),
        blockSizeMin,
        blockSizeMax,
        ORPHAN_GRACE.get(props).toMillis(),
        S3_GATEWAYS_MAX.get(props),
        S3_GATEWAY_EXPIRY.get(props).toMillis(),
        ratisOverrides(props));
  }

  private static Path requiredForTls(Properties props, ConfigKey<Path> key) {
    return key.find(props)
        .orElseThrow(
            () ->
                new ConfigException(
                    key.name()
                        + " is required while "
                        + TLS_ENABLED.name()
                        + " is true (see docs/security.md)"));
  }

  private static Map<String, String> ratisOverrides(Properties props) {
    Map<String, String> overrides = new TreeMap<>();
    for (String key : props.stringPropertyNames()) {
      if (key.startsWith(RATIS_PASSTHROUGH_PREFIX)) {
        overrides.put(key, props.getProperty(key).trim());
      }
    }
    return Map.copyOf(overrides);
  }

  public PeerAddress self() {
    return peer(id);
  }

  public PeerAddress peer(String peerId) {
    return peers.stream().filter(p -> p.id().equals(peerId)).findFirst().orElse(null);
  }
}
