package io.raftfs.meta.config;

import static io.raftfs.meta.config.MasterConfigKeys.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * A master's validated configuration. {@link #from} fails with an {@link IllegalArgumentException}
 * whose message names the key and what is wrong with it.
 */
public record MasterConfig(
    String id,
    List<PeerAddress> peers,
    Path storageDir,
    String httpBindHost,
    String clusterId,
    long snapshotThresholdEntries,
    long electionTimeoutMinMs,
    long electionTimeoutMaxMs,
    long stepDownWaitMs,
    long dataNodeDeadTimeoutMs,
    int batchMaxRequests,
    int batchMaxInFlight,
    int batchOverlapMinRequests,
    long raftRequestTimeoutMs,
    long blockIdReservation,
    long repairScanIntervalMs,
    int repairMaxCopiesPerNode,
    long repairCopyTimeoutMs,
    long orphanGraceMs,
    Map<String, String> ratisOverrides) {

  public static MasterConfig from(Properties props) {
    String id = required(props, ID_KEY);
    List<PeerAddress> peers = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (String spec : required(props, PEERS_KEY).split(",")) {
      if (spec.isBlank()) {
        continue;
      }
      PeerAddress peer;
      try {
        peer = PeerAddress.parse(spec);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(PEERS_KEY + ": " + e.getMessage());
      }
      if (!ids.add(peer.id())) {
        throw new IllegalArgumentException(PEERS_KEY + ": id '" + peer.id() + "' appears twice");
      }
      peers.add(peer);
    }
    if (!ids.contains(id)) {
      throw new IllegalArgumentException(
          ID_KEY + ": '" + id + "' is not among the peers " + ids + " (" + PEERS_KEY + ")");
    }
    long electionMin =
        positive(props, ELECTION_TIMEOUT_MIN_MS_KEY, ELECTION_TIMEOUT_MIN_MS_DEFAULT);
    long electionMax =
        positive(props, ELECTION_TIMEOUT_MAX_MS_KEY, ELECTION_TIMEOUT_MAX_MS_DEFAULT);
    if (electionMax <= electionMin) {
      throw new IllegalArgumentException(
          ELECTION_TIMEOUT_MAX_MS_KEY + " must be above " + ELECTION_TIMEOUT_MIN_MS_KEY);
    }
    return new MasterConfig(
        id,
        List.copyOf(peers),
        Path.of(required(props, STORAGE_DIR_KEY)),
        props.getProperty(HTTP_BIND_HOST_KEY, HTTP_BIND_HOST_DEFAULT),
        props.getProperty(CLUSTER_ID_KEY, CLUSTER_ID_DEFAULT),
        positive(props, SNAPSHOT_THRESHOLD_KEY, SNAPSHOT_THRESHOLD_DEFAULT),
        electionMin,
        electionMax,
        positive(props, STEP_DOWN_WAIT_MS_KEY, STEP_DOWN_WAIT_MS_DEFAULT),
        positive(props, DATANODE_DEAD_TIMEOUT_MS_KEY, DATANODE_DEAD_TIMEOUT_MS_DEFAULT),
        (int) positive(props, BATCH_MAX_REQUESTS_KEY, BATCH_MAX_REQUESTS_DEFAULT),
        (int) positive(props, BATCH_MAX_IN_FLIGHT_KEY, BATCH_MAX_IN_FLIGHT_DEFAULT),
        (int) positive(props, BATCH_OVERLAP_MIN_REQUESTS_KEY, BATCH_OVERLAP_MIN_REQUESTS_DEFAULT),
        positive(props, RAFT_REQUEST_TIMEOUT_MS_KEY, RAFT_REQUEST_TIMEOUT_MS_DEFAULT),
        positive(props, BLOCK_ID_RESERVATION_KEY, BLOCK_ID_RESERVATION_DEFAULT),
        positive(props, REPAIR_SCAN_INTERVAL_MS_KEY, REPAIR_SCAN_INTERVAL_MS_DEFAULT),
        (int) positive(props, REPAIR_MAX_COPIES_PER_NODE_KEY, REPAIR_MAX_COPIES_PER_NODE_DEFAULT),
        positive(props, REPAIR_COPY_TIMEOUT_MS_KEY, REPAIR_COPY_TIMEOUT_MS_DEFAULT),
        positive(props, ORPHAN_GRACE_MS_KEY, ORPHAN_GRACE_MS_DEFAULT),
        ratisOverrides(props));
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

  private static String required(Properties props, String key) {
    String value = props.getProperty(key);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(key + " is required");
    }
    return value.trim();
  }

  private static long positive(Properties props, String key, long defaultValue) {
    String value = props.getProperty(key);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    try {
      long parsed = Long.parseLong(value.trim());
      if (parsed <= 0 || parsed > Integer.MAX_VALUE) {
        throw new NumberFormatException();
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + ": '" + value + "' is not a positive number");
    }
  }
}
