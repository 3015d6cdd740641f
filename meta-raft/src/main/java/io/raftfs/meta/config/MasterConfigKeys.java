package io.raftfs.meta.config;

import static io.raftfs.config.ConfigTypes.BOOLEAN;
import static io.raftfs.config.ConfigTypes.BYTES;
import static io.raftfs.config.ConfigTypes.DURATION_MS;
import static io.raftfs.config.ConfigTypes.INTEGER;
import static io.raftfs.config.ConfigTypes.LONG;
import static io.raftfs.config.ConfigTypes.PATH;
import static io.raftfs.config.ConfigTypes.STRING;

import io.raftfs.config.ConfigKey;
import io.raftfs.config.ConfigKeySet;
import io.raftfs.config.Range;
import io.raftfs.protocol.MetaLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Every setting of a master. Values come from a Java properties file ({@code --config master.conf})
 * and {@code --set key=value} flags; {@link MasterConfig} reads and checks them at start-up,
 * docs/configuration.md lists them. The {@code *_KEY} strings are the names of the keys that test
 * clusters set.
 */
public final class MasterConfigKeys {
  private MasterConfigKeys() {}

  public static final String PREFIX = "raftfs.master";

  /**
   * Keys with this prefix are handed to Ratis unchanged (see Ratis' RaftServerConfigKeys), after
   * raftfs' own settings, for tuning that raftfs does not name itself.
   */
  public static final String RATIS_PASSTHROUGH_PREFIX = "raft.";

  private static final Range<Duration> POSITIVE = Range.atLeast(Duration.ofMillis(1));

  public static final ConfigKey<String> ID =
      ConfigKey.required(PREFIX + ".id", STRING, "This master's id: one of the peers' ids.");
  public static final String ID_KEY = ID.name();

  public static final ConfigKey<List<PeerAddress>> PEERS =
      ConfigKey.required(
          PREFIX + ".peers",
          PeerAddress.LIST,
          "All masters of the group, identical on every master: comma-separated"
              + " id=host:raftPort:httpPort.");
  public static final String PEERS_KEY = PEERS.name();

  public static final ConfigKey<Path> STORAGE_DIR =
      ConfigKey.required(
          PREFIX + ".storage.dir",
          PATH,
          "Directory of the Raft log and snapshots, created if missing; on a disk that fsyncs"
              + " honestly, never shared.");
  public static final String STORAGE_DIR_KEY = STORAGE_DIR.name();

  public static final ConfigKey<String> HTTP_BIND_HOST =
      ConfigKey.define(
          PREFIX + ".http.bind-host",
          STRING,
          "0.0.0.0",
          "Address the HTTP server (metadata API, cluster page, /metrics) binds to; the peers"
              + " entry gives its port.");
  public static final String HTTP_BIND_HOST_KEY = HTTP_BIND_HOST.name();

  /** A request body is held in memory while it arrives: a stalled one must not hold it long. */
  public static final ConfigKey<Duration> HTTP_BODY_STALL_TIMEOUT =
      ConfigKey.define(
          PREFIX + ".http.body.stall.timeout.ms",
          DURATION_MS,
          Duration.ofSeconds(10),
          POSITIVE,
          "A request whose body brings no byte for this long is answered 408 and its connection"
              + " closed.");

  /**
   * Vert.x keeps an idle keep-alive connection forever by default. Clients drop theirs after 60 s
   * idle (ClientConfigKeys' connection idle, the data nodes' MasterClient): above that, the master
   * rarely closes a connection a client is about to reuse.
   */
  public static final ConfigKey<Duration> HTTP_IDLE_TIMEOUT =
      ConfigKey.define(
          PREFIX + ".http.idle.timeout.ms",
          DURATION_MS,
          Duration.ofSeconds(120),
          Range.between(Duration.ofSeconds(1), Duration.ofDays(1)),
          "A connection that carries no byte either way for this long is closed; keep it above"
              + " the clients' 60 s idle drop.");

  /** Who may call: see docs/security.md. */
  public static final ConfigKey<Boolean> AUTH_ENABLED =
      ConfigKey.define(
          PREFIX + ".auth.enabled",
          BOOLEAN,
          true,
          "Metadata requests must be signed with an access key (AWS Signature V4); false accepts"
              + " anyone who can reach the port, for benchmarks on a private network.");

  public static final String AUTH_ENABLED_KEY = AUTH_ENABLED.name();

  public static final ConfigKey<Path> AUTH_ROOT_CREDENTIALS_FILE =
      ConfigKey.optional(
          PREFIX + ".auth.root.credentials.file",
          PATH,
          null,
          "required while auth is enabled",
          "File with the superuser's access key (access.key=, secret.key=), the same on every"
              + " master and readable by its owner only.");
  public static final String AUTH_ROOT_CREDENTIALS_FILE_KEY = AUTH_ROOT_CREDENTIALS_FILE.name();

  public static final ConfigKey<Path> AUTH_USER_KEY_FILE =
      ConfigKey.optional(
          PREFIX + ".auth.user.key.file",
          PATH,
          null,
          "without it the masters keep no users",
          "File with the masters' user key (user.key=, 32 random bytes in base64), the same on"
              + " every master and readable by its owner only: it seals the users' secret keys in"
              + " the replicated state and is never in the log or a snapshot.");
  public static final String AUTH_USER_KEY_FILE_KEY = AUTH_USER_KEY_FILE.name();

  public static final ConfigKey<String> AUTH_SUPERUSER_GROUP =
      ConfigKey.define(
          PREFIX + ".auth.superuser.group",
          STRING,
          "supergroup",
          "Members of this group may do anything (users, decommission); the same on every"
              + " master. The root key's user is always a superuser.");
  public static final String AUTH_SUPERUSER_GROUP_KEY = AUTH_SUPERUSER_GROUP.name();

  public static final ConfigKey<Duration> AUTH_CLOCK_SKEW =
      ConfigKey.define(
          PREFIX + ".auth.clock.skew.ms",
          DURATION_MS,
          Duration.ofMinutes(5),
          Range.between(Duration.ofSeconds(1), Duration.ofHours(1)),
          "A signature made this long before or after the master's clock is refused, so a"
              + " captured request cannot be replayed later.");

  /** TLS on the HTTP port and between the masters' Raft: see docs/security.md. */
  public static final ConfigKey<Boolean> TLS_ENABLED =
      ConfigKey.define(
          PREFIX + ".tls.enabled",
          BOOLEAN,
          true,
          "Every connection to this master (clients, data nodes, other masters) uses TLS with"
              + " the certificates below; false keeps plaintext, for benchmarks on a private"
              + " network.");

  public static final String TLS_ENABLED_KEY = TLS_ENABLED.name();

  public static final ConfigKey<Path> TLS_CA_FILE =
      ConfigKey.optional(
          PREFIX + ".tls.ca.file",
          PATH,
          null,
          "required while TLS is enabled",
          "PEM certificate of the cluster's CA: the only issuer this master trusts.");

  public static final String TLS_CA_FILE_KEY = TLS_CA_FILE.name();

  public static final ConfigKey<Path> TLS_CERT_FILE =
      ConfigKey.optional(
          PREFIX + ".tls.cert.file",
          PATH,
          null,
          "required while TLS is enabled",
          "PEM certificate of this master, naming raftfs://master/ID and its host's names (raftfs"
              + " admin cert issue --role master).");

  public static final String TLS_CERT_FILE_KEY = TLS_CERT_FILE.name();

  public static final ConfigKey<Path> TLS_KEY_FILE =
      ConfigKey.optional(
          PREFIX + ".tls.key.file",
          PATH,
          null,
          "required while TLS is enabled",
          "PEM (PKCS#8, unencrypted) private key of the certificate, readable by its owner only.");

  public static final String TLS_KEY_FILE_KEY = TLS_KEY_FILE.name();

  public static final ConfigKey<Path> TLS_CRL_FILE =
      ConfigKey.optional(
          PREFIX + ".tls.crl.file",
          PATH,
          null,
          "no certificate is revoked",
          "PEM revocation lists of the cluster's CA (X509 CRL; raftfs admin cert revoke writes"
              + " them): certificates they name fail the handshake. Re-read within seconds when"
              + " the file changes; no restart needed.");

  public static final String TLS_CRL_FILE_KEY = TLS_CRL_FILE.name();

  /** Block access tokens, on whenever auth is: see docs/security.md. */
  public static final ConfigKey<Duration> BLOCK_KEY_ROLL_PERIOD =
      ConfigKey.define(
          PREFIX + ".auth.block.key.roll.period.ms",
          DURATION_MS,
          Duration.ofHours(10),
          Range.between(Duration.ofSeconds(2), Duration.ofDays(30)),
          "The leader makes a new block key (through the Raft log) this often; each key lives two"
              + " periods, so data nodes know a key long before tokens are signed with it.");

  public static final ConfigKey<Duration> BLOCK_TOKEN_LIFETIME =
      ConfigKey.define(
          PREFIX + ".auth.block.token.lifetime.ms",
          DURATION_MS,
          Duration.ofMinutes(10),
          Range.between(Duration.ofSeconds(1), Duration.ofDays(1)),
          "A block access token is valid this long after it was issued: longer than the slowest"
              + " upload of one block, at most half the key roll period.");

  public static final ConfigKey<Duration> BLOCK_KEY_PROPAGATION =
      ConfigKey.define(
          PREFIX + ".auth.block.key.propagation.ms",
          DURATION_MS,
          Duration.ofSeconds(2),
          Range.between(Duration.ZERO, Duration.ofMinutes(10)),
          "A new block key signs tokens only this long after it was made, so that every data node"
              + " has it from a heartbeat answer first: above the data nodes' heartbeat interval.");

  public static final ConfigKey<String> CLUSTER_ID =
      ConfigKey.define(
          "raftfs.cluster.id",
          STRING,
          "raftfs",
          "Name of the cluster; the Raft group id is derived from it, so all masters agree.");
  public static final String CLUSTER_ID_KEY = CLUSTER_ID.name();

  public static final ConfigKey<Long> SNAPSHOT_THRESHOLD =
      ConfigKey.define(
          PREFIX + ".snapshot.threshold.entries",
          LONG,
          50_000L,
          Range.atLeast(1L),
          "Take a snapshot after this many log entries, then purge the log up to it.");
  public static final String SNAPSHOT_THRESHOLD_KEY = SNAPSHOT_THRESHOLD.name();

  /** With pre-vote a failover often waits for the second follower's timeout: keep it short. */
  public static final ConfigKey<Duration> ELECTION_TIMEOUT_MIN =
      ConfigKey.define(
          PREFIX + ".election.timeout.min.ms",
          DURATION_MS,
          Duration.ofMillis(200),
          POSITIVE,
          "Lower bound of the randomised election timeout: lower fails over faster, higher"
              + " holds fewer spurious elections under GC pauses or slow disks.");

  public static final ConfigKey<Duration> ELECTION_TIMEOUT_MAX =
      ConfigKey.define(
          PREFIX + ".election.timeout.max.ms",
          DURATION_MS,
          Duration.ofMillis(400),
          POSITIVE,
          "Upper bound of the randomised election timeout; above the minimum, at least twice it"
              + " is wise.");

  /** Ratis' 10 s default sometimes left the group leaderless for over 10 s. */
  public static final ConfigKey<Duration> STEP_DOWN_WAIT =
      ConfigKey.define(
          PREFIX + ".election.step-down.wait.ms",
          DURATION_MS,
          Duration.ofSeconds(1),
          POSITIVE,
          "How long a leader that stepped down waits before standing again; also the JVM pause"
              + " after which a leader steps down.");

  /**
   * A leader that stops without handing over leaves clients without one for an election timeout and
   * an election (about 0.6 s here); handed over, the chosen follower stands at once.
   */
  public static final ConfigKey<Duration> SHUTDOWN_HANDOVER_TIMEOUT =
      ConfigKey.define(
          PREFIX + ".shutdown.handover.timeout.ms",
          DURATION_MS,
          Duration.ofSeconds(3),
          Range.atLeast(Duration.ZERO),
          "A leader stopping in an orderly way (SIGTERM) first hands leadership to its most"
              + " up-to-date follower and waits up to this long for it to be elected; 0 stops"
              + " without handing over.");

  public static final ConfigKey<Duration> DATANODE_DEAD_TIMEOUT =
      ConfigKey.define(
          PREFIX + ".datanode.dead.timeout.ms",
          DURATION_MS,
          Duration.ofSeconds(10),
          POSITIVE,
          "A data node without a heartbeat for this long is dead; its blocks get re-replicated.");
  public static final String DATANODE_DEAD_TIMEOUT_MS_KEY = DATANODE_DEAD_TIMEOUT.name();

  public static final ConfigKey<Integer> BATCH_MAX_REQUESTS =
      ConfigKey.define(
          PREFIX + ".batch.max.requests",
          INTEGER,
          1000,
          Range.atLeast(1),
          "Most client requests packed into one Raft log entry.");

  /** With one, a batch waits a whole round; beyond two, batches shrink and cost more per entry. */
  public static final ConfigKey<Integer> BATCH_MAX_IN_FLIGHT =
      ConfigKey.define(
          PREFIX + ".batch.max.in-flight",
          INTEGER,
          2,
          Range.atLeast(1),
          "Most log entries (batches) the leader has in flight at once; requests arriving"
              + " meanwhile join the next entry, so batches grow with load.");

  /** Ratis' cost is per entry: light write loads then make fewer, fuller entries. */
  public static final ConfigKey<Integer> BATCH_OVERLAP_MIN_REQUESTS =
      ConfigKey.define(
          PREFIX + ".batch.overlap.min.requests",
          INTEGER,
          4,
          Range.atLeast(1),
          "Fewest queued requests worth a log entry of their own while another is in flight;"
              + " fewer wait for the next free slot and leave together.");

  public static final ConfigKey<Duration> RAFT_REQUEST_TIMEOUT =
      ConfigKey.define(
          PREFIX + ".raft.request.timeout.ms",
          DURATION_MS,
          Duration.ofSeconds(5),
          POSITIVE,
          "A write or read barrier not committed by then answers UNAVAILABLE (clients retry).");

  public static final ConfigKey<Long> BLOCK_ID_RESERVATION =
      ConfigKey.define(
          PREFIX + ".block-id.reservation",
          LONG,
          10_000L,
          Range.atLeast(1L),
          "Block ids the leader reserves through the log at a time.");

  /** The pause grows on a large namespace and shrinks while nothing changed ({@code ScanPacer}). */
  public static final ConfigKey<Duration> REPAIR_SCAN_INTERVAL =
      ConfigKey.define(
          PREFIX + ".repair.scan.interval.ms",
          DURATION_MS,
          Duration.ofSeconds(1),
          POSITIVE,
          "Shortest pause between the leader's scans for blocks to repair and replicas to"
              + " delete; also how often it checks for a change that could need a repair.");

  public static final String REPAIR_SCAN_INTERVAL_MS_KEY = REPAIR_SCAN_INTERVAL.name();

  public static final ConfigKey<Integer> REPAIR_MAX_COPIES_PER_NODE =
      ConfigKey.define(
          PREFIX + ".repair.max.copies.per.node",
          INTEGER,
          4,
          Range.atLeast(1),
          "Re-replication copies in flight per source data node.");
  public static final String REPAIR_MAX_COPIES_PER_NODE_KEY = REPAIR_MAX_COPIES_PER_NODE.name();

  public static final ConfigKey<Duration> REPAIR_COPY_TIMEOUT =
      ConfigKey.define(
          PREFIX + ".repair.copy.timeout.ms",
          DURATION_MS,
          Duration.ofMinutes(2),
          POSITIVE,
          "A copy not confirmed by the target's block report by then is scheduled again.");
  public static final String REPAIR_COPY_TIMEOUT_MS_KEY = REPAIR_COPY_TIMEOUT.name();

  /**
   * A reader's report_bad_replica is soft state anyone can send; well above the copy timeout, so an
   * honest report normally gets its replica replaced before the mark lapses.
   */
  public static final ConfigKey<Duration> REPAIR_CORRUPT_UNCONFIRMED_TIMEOUT =
      ConfigKey.define(
          PREFIX + ".repair.corrupt.unconfirmed.timeout.ms",
          DURATION_MS,
          Duration.ofMinutes(10),
          POSITIVE,
          "A replica a reader (not its holder's scrubber) reported corrupt counts and is offered"
              + " again after this long, unless its holder confirmed it meanwhile.");

  private static final Range<Long> BLOCK_SIZES =
      Range.between(MetaLimits.MIN_BLOCK_SIZE, MetaLimits.MAX_BLOCK_SIZE);

  /** HDFS' dfs.namenode.fs-limits.min-block-size: tiny blocks cost every master memory. */
  public static final ConfigKey<Long> BLOCK_SIZE_MIN =
      ConfigKey.define(
          PREFIX + ".block-size.min",
          BYTES,
          1L << 20,
          BLOCK_SIZES,
          "Smallest block size a file may be written with; smaller ones are refused"
              + " (INVALID_ARGUMENT).");

  public static final String BLOCK_SIZE_MIN_KEY = BLOCK_SIZE_MIN.name();

  public static final ConfigKey<Long> BLOCK_SIZE_MAX =
      ConfigKey.define(
          PREFIX + ".block-size.max",
          BYTES,
          1L << 30,
          BLOCK_SIZES,
          "Largest block size a file may be written with, and most space one block may ask a"
              + " data node for; at least the minimum.");

  public static final ConfigKey<Duration> ORPHAN_GRACE =
      ConfigKey.define(
          PREFIX + ".orphan.grace.ms",
          DURATION_MS,
          Duration.ofMinutes(15),
          POSITIVE,
          "Block ids handed out this long ago and never committed are retired through the log and"
              + " their replicas deleted (those of deleted or overwritten files at once); a commit"
              + " naming a retired block is refused and the client uploads again, so it should"
              + " exceed the longest upload of one file.");
  public static final String ORPHAN_GRACE_MS_KEY = ORPHAN_GRACE.name();

  /** The leader keeps them in memory, one small entry each: the bound is against a runaway. */
  public static final ConfigKey<Integer> S3_GATEWAYS_MAX =
      ConfigKey.define(
          PREFIX + ".s3.gateways.max",
          INTEGER,
          64,
          Range.between(1, 10_000),
          "Most S3 gateways the leader lists on the cluster page at once; a report from one more"
              + " is refused until an entry expires.");

  /** Several of the gateways' report intervals (raftfs.s3.report.interval.ms, 5 s). */
  public static final ConfigKey<Duration> S3_GATEWAY_EXPIRY =
      ConfigKey.define(
          PREFIX + ".s3.gateway.expiry.ms",
          DURATION_MS,
          Duration.ofSeconds(30),
          POSITIVE,
          "An S3 gateway not heard from for this long leaves the cluster page.");

  public static final String S3_GATEWAY_EXPIRY_MS_KEY = S3_GATEWAY_EXPIRY.name();

  public static final ConfigKeySet ALL =
      ConfigKeySet.of(
          "Master",
          "`raftfs-master --config master.conf [--set key=value ...]` reads them. Keys starting"
              + " with `raft.` go to Ratis unchanged, after these (see Ratis'"
              + " `RaftServerConfigKeys`).",
          List.of(
              ID,
              PEERS,
              STORAGE_DIR,
              HTTP_BIND_HOST,
              HTTP_BODY_STALL_TIMEOUT,
              HTTP_IDLE_TIMEOUT,
              AUTH_ENABLED,
              AUTH_ROOT_CREDENTIALS_FILE,
              AUTH_USER_KEY_FILE,
              AUTH_SUPERUSER_GROUP,
              AUTH_CLOCK_SKEW,
              TLS_ENABLED,
              TLS_CA_FILE,
              TLS_CERT_FILE,
              TLS_KEY_FILE,
              TLS_CRL_FILE,
              BLOCK_KEY_ROLL_PERIOD,
              BLOCK_TOKEN_LIFETIME,
              BLOCK_KEY_PROPAGATION,
              CLUSTER_ID,
              SNAPSHOT_THRESHOLD,
              ELECTION_TIMEOUT_MIN,
              ELECTION_TIMEOUT_MAX,
              STEP_DOWN_WAIT,
              SHUTDOWN_HANDOVER_TIMEOUT,
              DATANODE_DEAD_TIMEOUT,
              BATCH_MAX_REQUESTS,
              BATCH_MAX_IN_FLIGHT,
              BATCH_OVERLAP_MIN_REQUESTS,
              RAFT_REQUEST_TIMEOUT,
              BLOCK_ID_RESERVATION,
              REPAIR_SCAN_INTERVAL,
              REPAIR_MAX_COPIES_PER_NODE,
              REPAIR_COPY_TIMEOUT,
              REPAIR_CORRUPT_UNCONFIRMED_TIMEOUT,
              BLOCK_SIZE_MIN,
              BLOCK_SIZE_MAX,
              ORPHAN_GRACE,
              S3_GATEWAYS_MAX,
              S3_GATEWAY_EXPIRY));
}
