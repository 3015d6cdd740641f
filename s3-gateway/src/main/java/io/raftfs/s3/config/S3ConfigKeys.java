package io.raftfs.s3.config;

import static io.raftfs.config.ConfigTypes.BOOLEAN;
import static io.raftfs.config.ConfigTypes.BYTES;
import static io.raftfs.config.ConfigTypes.DURATION_MS;
import static io.raftfs.config.ConfigTypes.INTEGER;
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
 * Every setting of the S3 gateway ({@code raftfs-s3 --config s3.conf}). The gateway is a client of
 * the cluster, so the same file also holds the client's keys ({@code raftfs.masters}, the gateway's
 * own access key, transfer settings).
 */
public final class S3ConfigKeys {
  private S3ConfigKeys() {}

  public static final String PREFIX = "raftfs.s3";

  public static final ConfigKey<String> BIND_HOST =
      ConfigKey.define(
          PREFIX + ".bind.host",
          STRING,
          "127.0.0.1",
          "Address the S3 endpoint listens on; 0.0.0.0 for every interface.");

  public static final ConfigKey<Integer> PORT =
      ConfigKey.define(
          PREFIX + ".port",
          INTEGER,
          9878,
          Range.between(0, 65535),
          "TCP port of the S3 endpoint; 0 picks a free one (tests).");

  public static final ConfigKey<String> REGION =
      ConfigKey.define(
          PREFIX + ".region",
          STRING,
          "us-east-1",
          "Region name S3 clients sign for and GetBucketLocation answers; the masters accept"
              + " any region in a proof, the gateway only this one.");

  public static final ConfigKey<Integer> WORKERS =
      ConfigKey.define(
          PREFIX + ".workers",
          INTEGER,
          32,
          Range.between(1, 1024),
          "Requests served at once: each holds one worker thread for its blocking client calls;"
              + " more wait in line.");

  public static final ConfigKey<Integer> MAX_LIST_KEYS =
      ConfigKey.define(
          PREFIX + ".list.max.keys",
          INTEGER,
          1000,
          Range.between(1, 100_000),
          "Most keys one ListObjects page answers, whatever max-keys asks (S3's own limit is"
              + " 1000).");

  public static final ConfigKey<Integer> REPLICATION =
      ConfigKey.define(
          PREFIX + ".replication",
          INTEGER,
          3,
          Range.between(MetaLimits.MIN_REPLICATION, MetaLimits.MAX_REPLICATION),
          "Replicas of each object's blocks.");

  /** TLS on the S3 port, on by default like every raftfs listener: see docs/s3.md. */
  public static final ConfigKey<Boolean> TLS_ENABLED =
      ConfigKey.define(
          PREFIX + ".tls.enabled",
          BOOLEAN,
          true,
          "S3 clients connect with TLS (https://), the gateway presenting the certificate below;"
              + " false serves plain HTTP, for benchmarks or behind a TLS-terminating proxy.");

  public static final ConfigKey<Path> TLS_CA_FILE =
      ConfigKey.optional(
          PREFIX + ".tls.ca.file",
          PATH,
          null,
          "required while TLS is enabled",
          "PEM certificate of the cluster's CA, which must have issued the certificate below"
              + " (usually the file of raftfs.client.tls.ca.file).");

  public static final ConfigKey<Path> TLS_CERT_FILE =
      ConfigKey.optional(
          PREFIX + ".tls.cert.file",
          PATH,
          null,
          "required while TLS is enabled",
          "PEM certificate of the gateway from the cluster's CA, naming the host names clients"
              + " use (raftfs admin cert issue --role s3).");

  public static final ConfigKey<Path> TLS_KEY_FILE =
      ConfigKey.optional(
          PREFIX + ".tls.key.file",
          PATH,
          null,
          "required while TLS is enabled",
          "PEM (PKCS#8, unencrypted) private key of the certificate, readable by its owner only.");

  public static final ConfigKey<Long> MIN_PART_BYTES =
      ConfigKey.define(
          PREFIX + ".multipart.min.part.bytes",
          BYTES,
          5L << 20,
          Range.between(0L, 5L << 30),
          "Smallest part but the last that CompleteMultipartUpload accepts (EntityTooSmall);"
              + " S3's is 5 MiB, which clients size their parts for.");

  /** Several of them fit in the masters' expiry (raftfs.master.s3.gateway.expiry.ms, 30 s). */
  public static final ConfigKey<Duration> REPORT_INTERVAL =
      ConfigKey.define(
          PREFIX + ".report.interval.ms",
          DURATION_MS,
          Duration.ofSeconds(5),
          Range.between(Duration.ofMillis(100), Duration.ofMinutes(5)),
          "How often the gateway reports itself to the leader master, which lists it on the"
              + " cluster page.");

  public static final ConfigKey<String> ADVERTISED_ADDRESS =
      ConfigKey.optional(
          PREFIX + ".advertised.address",
          STRING,
          null,
          "the bind host (this host's name for 0.0.0.0) and the port",
          "host:port S3 clients reach this gateway at, as the cluster page shows it.");

  public static final ConfigKey<List<String>> PUBLIC_READ_BUCKETS =
      ConfigKey.define(
          PREFIX + ".public.read.buckets",
          BucketNames.TYPE,
          List.of(),
          "Comma-separated buckets whose objects anyone may GET, HEAD and list without"
              + " credentials (read with the gateway's own key); every other anonymous request"
              + " is 403 AccessDenied, and writes never are anonymous.");

  /** The gateway's keys followed by the client keys it reads from the same file. */
  public static final ConfigKeySet ALL =
      ConfigKeySet.of(
          "S3 gateway",
          "`raftfs-s3 --config s3.conf` reads these and the client's keys (`raftfs.masters`, the"
              + " gateway's superuser access key).",
          List.of(
              BIND_HOST,
              PORT,
              TLS_ENABLED,
              TLS_CA_FILE,
              TLS_CERT_FILE,
              TLS_KEY_FILE,
              REGION,
              WORKERS,
              MAX_LIST_KEYS,
              REPLICATION,
              MIN_PART_BYTES,
              REPORT_INTERVAL,
              ADVERTISED_ADDRESS,
              PUBLIC_READ_BUCKETS));
}
