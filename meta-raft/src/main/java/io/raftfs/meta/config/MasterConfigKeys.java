package io.raftfs.meta.config;

/**
 * Every setting of a master: the key, its default beside it, and what it means. Values come from a
 * Java properties file ({@code --config master.conf}) and {@code --set key=value} flags; {@link
 * MasterConfig} reads and validates them at start-up.
 */
public final class MasterConfigKeys {
  private MasterConfigKeys() {}

  public static final String PREFIX = "raftfs.master";

  /** This master's id; must be one of the ids in {@link #PEERS_KEY}. Required. */
  public static final String ID_KEY = PREFIX + ".id";

  /**
   * All masters of the group: {@code id=host:raftPort:httpPort}, comma-separated, e.g. {@code
   * m1=10.0.0.1:9861:9871,m2=10.0.0.2:9861:9871,m3=10.0.0.3:9861:9871}. Required; identical on
   * every master.
   */
  public static final String PEERS_KEY = PREFIX + ".peers";

  /** Directory for the Raft log and snapshots; created if missing. Required. */
  public static final String STORAGE_DIR_KEY = PREFIX + ".storage.dir";

  /**
   * Keys with this prefix are handed to Ratis unchanged (see Ratis' RaftServerConfigKeys), after
   * raftfs' own settings, for tuning that raftfs does not name itself.
   */
  public static final String RATIS_PASSTHROUGH_PREFIX = "raft.";

  /** Address the HTTP server binds to (the peers entry gives its port). */
  public static final String HTTP_BIND_HOST_KEY = PREFIX + ".http.bind-host";

  public static final String HTTP_BIND_HOST_DEFAULT = "0.0.0.0";

  /** Name of the cluster; the Raft group id is derived from it. */
  public static final String CLUSTER_ID_KEY = "raftfs.cluster.id";

  public static final String CLUSTER_ID_DEFAULT = "raftfs";

  /** Take a snapshot after this many log entries, then purge the log up to it. */
  public static final String SNAPSHOT_THRESHOLD_KEY = PREFIX + ".snapshot.threshold.entries";

  public static final long SNAPSHOT_THRESHOLD_DEFAULT = 50_000;

  /**
   * Lower bound of the randomised election timeout. With pre-vote the first follower to time out
   * after a leader died is often refused by the other, which heard from the leader more recently,
   * so a failover usually waits for the second follower's timeout: 300-600 ms made the group
   * leaderless for a median 0.84-0.90 s after {@code kill -9} of the leader on 2-core machines,
   * 200-400 ms for 0.53-0.57 s, with no election during minutes of full load (Ratis' own default is
   * 150-300 ms).
   */
  public static final String ELECTION_TIMEOUT_MIN_MS_KEY = PREFIX + ".election.timeout.min.ms";

  public static final long ELECTION_TIMEOUT_MIN_MS_DEFAULT = 200;

  /** Upper bound of the randomised election timeout; at least twice the minimum is wise. */
  public static final String ELECTION_TIMEOUT_MAX_MS_KEY = PREFIX + ".election.timeout.max.ms";

  public static final long ELECTION_TIMEOUT_MAX_MS_DEFAULT = 400;

  /**
   * How long a leader that stepped down waits before standing again. Ratis' 10 s default left the
   * group leaderless for 11–12 s in about one failover in seven on 2-core machines; 1 s never did.
   */
  public static final String STEP_DOWN_WAIT_MS_KEY = PREFIX + ".election.step-down.wait.ms";

  public static final long STEP_DOWN_WAIT_MS_DEFAULT = 1000;

  /** A data node without a heartbeat for this long is dead. */
  public static final String DATANODE_DEAD_TIMEOUT_MS_KEY = PREFIX + ".datanode.dead.timeout.ms";

  public static final long DATANODE_DEAD_TIMEOUT_MS_DEFAULT = 10_000;

  /** Most client requests packed into one Raft log entry. */
  public static final String BATCH_MAX_REQUESTS_KEY = PREFIX + ".batch.max.requests";

  public static final int BATCH_MAX_REQUESTS_DEFAULT = 1000;

  /**
   * Most log entries (batches) the leader has in flight at once. Requests that arrive meanwhile
   * join the next entry, so batches grow with load. bench/meta (32 clients, 3 masters, 2 cores,
   * warm): create+commit 4,397/s with 1, 5,461 with 2, 4,793 with 3; mkdir 4,104, 4,520, 5,232.
   * With 1 a batch waits a whole round for the one before it; beyond 2 the batches get smaller and
   * Ratis' cost per entry grows.
   */
  public static final String BATCH_MAX_IN_FLIGHT_KEY = PREFIX + ".batch.max.in-flight";

  public static final int BATCH_MAX_IN_FLIGHT_DEFAULT = 2;

  /**
   * Fewest queued requests worth a log entry of their own while another entry is in flight; fewer
   * wait for the next free slot and leave together. Light write loads then make fewer, fuller
   * entries (Ratis' cost is per entry), heavy ones still keep {@link #BATCH_MAX_IN_FLIGHT_KEY}
   * entries going. Measured (2 cores, all JVMs on one machine): bench/cluster, 4 KiB puts x16,
   * shared client / client each (CPU-bound; commits trickle in between uploads, 1.2 requests per
   * entry with 1): 678-725 / 658-737 puts/s with 1, 921 / 813 with 4, 829-845 / 717-733 with 8.
   * bench/meta, 32 clients doing nothing else (latency-bound), create+commit / mkdir: 5.8 / 5.9 k
   * with 1, 5.7 / 5.4 k with 4, 4.9-5.0 / 5.0 k with 8, 4.7 k with 16.
   */
  public static final String BATCH_OVERLAP_MIN_REQUESTS_KEY =
      PREFIX + ".batch.overlap.min.requests";

  public static final int BATCH_OVERLAP_MIN_REQUESTS_DEFAULT = 4;

  /** A write or read barrier not committed by then answers UNAVAILABLE (clients retry). */
  public static final String RAFT_REQUEST_TIMEOUT_MS_KEY = PREFIX + ".raft.request.timeout.ms";

  public static final long RAFT_REQUEST_TIMEOUT_MS_DEFAULT = 5000;

  /** Block ids the leader reserves through the log at a time. */
  public static final String BLOCK_ID_RESERVATION_KEY = PREFIX + ".block-id.reservation";

  public static final long BLOCK_ID_RESERVATION_DEFAULT = 10_000;

  /**
   * How often the leader scans for blocks to repair and replicas to delete: the shortest pause
   * between scans, which grows on a large namespace so scans stay within a share of a core, a
   * smaller one while nothing changed that could need a repair ({@link
   * io.raftfs.meta.repair.ScanPacer}). Also how often the leader checks for such a change.
   */
  public static final String REPAIR_SCAN_INTERVAL_MS_KEY = PREFIX + ".repair.scan.interval.ms";

  public static final long REPAIR_SCAN_INTERVAL_MS_DEFAULT = 1000;

  /** Re-replication copies in flight per source data node. */
  public static final String REPAIR_MAX_COPIES_PER_NODE_KEY =
      PREFIX + ".repair.max.copies.per.node";

  public static final int REPAIR_MAX_COPIES_PER_NODE_DEFAULT = 4;

  /** A copy not confirmed by the target's block report by then is scheduled again. */
  public static final String REPAIR_COPY_TIMEOUT_MS_KEY = PREFIX + ".repair.copy.timeout.ms";

  public static final long REPAIR_COPY_TIMEOUT_MS_DEFAULT = 120_000;

  /**
   * Replicas that no committed file references are deleted after this long (blocks of deleted or
   * overwritten files at once). It must exceed the longest upload of one file.
   */
  public static final String ORPHAN_GRACE_MS_KEY = PREFIX + ".orphan.grace.ms";

  public static final long ORPHAN_GRACE_MS_DEFAULT = 15 * 60 * 1000;
}
