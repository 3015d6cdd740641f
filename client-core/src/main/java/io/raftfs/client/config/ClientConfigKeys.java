package io.raftfs.client.config;

import static io.raftfs.config.ConfigTypes.DURATION_MS;
import static io.raftfs.config.ConfigTypes.HOST_PORTS;
import static io.raftfs.config.ConfigTypes.INTEGER;
import static io.raftfs.config.ConfigTypes.OCTAL;
import static io.raftfs.config.ConfigTypes.PATH;
import static io.raftfs.config.ConfigTypes.STRING;

import io.raftfs.config.ConfigKey;
import io.raftfs.config.ConfigKeySet;
import io.raftfs.config.Range;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Every setting of the client library and the {@code raftfs} command, grouped as their names are.
 * {@link ClientConfig} reads them; docs/configuration.md lists them.
 */
public final class ClientConfigKeys {
  private ClientConfigKeys() {}

  public static final String PREFIX = "raftfs.client";

  private static final Range<Duration> POSITIVE = Range.atLeast(Duration.ofMillis(1));

  public static final ConfigKey<List<String>> MASTERS =
      ConfigKey.define(
          "raftfs.masters",
          HOST_PORTS,
          List.of(),
          "HTTP addresses of the masters, any of them: the client finds the leader. In the raftfs"
              + " command --masters and RAFTFS_MASTERS come first.");

  public static final ConfigKey<Integer> UMASK =
      ConfigKey.define(
          PREFIX + ".umask",
          OCTAL,
          0022,
          Range.between(0, 0777),
          "Permission bits (octal) taken away from what this client creates: new files get 0666"
              + " and directories 0777 without them, as in HDFS's fs.permissions.umask-mode.");

  /** The key pair that signs metadata requests; both or neither. */
  public static final class Auth {
    private Auth() {}

    public static final String PREFIX = ClientConfigKeys.PREFIX;

    public static final ConfigKey<String> ACCESS_KEY =
        ConfigKey.optional(
            PREFIX + ".access.key",
            STRING,
            null,
            "requests go unsigned, which secured masters refuse",
            "Access key id that signs metadata requests. In the raftfs command RAFTFS_ACCESS_KEY"
                + " comes first.");

    public static final ConfigKey<String> SECRET_KEY =
        ConfigKey.optional(
            PREFIX + ".secret.key",
            STRING,
            null,
            "requests go unsigned",
            "Secret key of the access key; keep the file it is in readable by you only. In the"
                + " raftfs command RAFTFS_SECRET_KEY comes first.");
  }

  /** TLS toward masters and data nodes: see docs/security.md. */
  public static final class Tls {
    private Tls() {}

    public static final String PREFIX = ClientConfigKeys.PREFIX + ".tls";

    public static final ConfigKey<Path> CA_FILE =
        ConfigKey.optional(
            PREFIX + ".ca.file",
            PATH,
            null,
            "plaintext, which secured masters and data nodes refuse",
            "PEM certificate of the cluster's CA: connections use TLS and trust only servers"
                + " whose certificates it issued. In the raftfs command RAFTFS_CA_FILE comes"
                + " first.");

    public static final ConfigKey<Path> CRL_FILE =
        ConfigKey.optional(
            PREFIX + ".crl.file",
            PATH,
            null,
            "no certificate is revoked",
            "PEM revocation lists of the cluster's CA (X509 CRL; raftfs admin cert revoke writes"
                + " them): servers whose certificates they name are refused. Re-read within"
                + " seconds when the file changes. In the raftfs command RAFTFS_CRL_FILE comes"
                + " first.");
  }

  public static final class Transfer {
    private Transfer() {}

    public static final String PREFIX = ClientConfigKeys.PREFIX + ".transfer";

    public static final ConfigKey<Integer> PARALLELISM =
        ConfigKey.define(
            PREFIX + ".parallelism",
            INTEGER,
            4,
            Range.between(1, 256),
            "Blocks in flight per put or get.");

    public static final ConfigKey<Integer> FILES =
        ConfigKey.define(
            PREFIX + ".files",
            INTEGER,
            16,
            Range.between(1, 256),
            "Files in flight at once in put -R and get -R (the raftfs command's --parallel comes"
                + " first); each moves up to raftfs.client.transfer.parallelism blocks.");
  }

  public static final class DataNode {
    private DataNode() {}

    public static final String PREFIX = ClientConfigKeys.PREFIX + ".datanode";

    public static final ConfigKey<Duration> CONNECT_TIMEOUT =
        ConfigKey.define(
            PREFIX + ".connect.timeout.ms",
            DURATION_MS,
            Duration.ofSeconds(5),
            POSITIVE,
            "Longest wait for a connection to a data node to open.");

    public static final ConfigKey<Duration> PUT_ANSWER_TIMEOUT =
        ConfigKey.define(
            PREFIX + ".put.answer.timeout.ms",
            DURATION_MS,
            Duration.ofSeconds(30),
            POSITIVE,
            "Longest wait for the answer to a block upload, plus the per-MiB allowance: a hung"
                + " node fails, a slow link not.");

    public static final ConfigKey<Duration> PUT_ANSWER_TIMEOUT_PER_MIB =
        ConfigKey.define(
            PREFIX + ".put.answer.timeout.per.mib.ms",
            DURATION_MS,
            Duration.ofSeconds(1),
            Range.atLeast(Duration.ZERO),
            "Added to the upload answer timeout per MiB of the block.");

    public static final ConfigKey<Duration> STALL_TIMEOUT =
        ConfigKey.define(
            PREFIX + ".stall.timeout.ms",
            DURATION_MS,
            Duration.ofSeconds(20),
            POSITIVE,
            "A transfer that moves no byte for this long is given up, and a download tries the"
                + " next replica: a hung or cut-off node sends no reset.");

    public static final ConfigKey<Duration> CONNECTION_IDLE =
        ConfigKey.define(
            PREFIX + ".connection.idle.ms",
            DURATION_MS,
            Duration.ofSeconds(60),
            POSITIVE,
            "A kept-alive connection idle this long is closed; below the data nodes' own 120 s,"
                + " so they rarely close one under the client.");
  }

  public static final class Placement {
    private Placement() {}

    public static final String PREFIX = ClientConfigKeys.PREFIX + ".placement";

    public static final ConfigKey<Duration> PATIENCE =
        ConfigKey.define(
            PREFIX + ".patience.ms",
            DURATION_MS,
            Duration.ofSeconds(10),
            POSITIVE,
            "How long a put asks again for a placement while the leader knows too few live data"
                + " nodes (briefly, after a leader change).");

    /** Placements for small blocks fetched ahead, so a small put talks to the leader once. */
    public static final class Reserve {
      private Reserve() {}

      public static final String PREFIX = Placement.PREFIX + ".reserve";

      public static final ConfigKey<Integer> BATCH =
          ConfigKey.define(
              PREFIX + ".batch",
              INTEGER,
              32,
              Range.between(1, 1024),
              "Most placements for small blocks asked for at once; batches start at one and"
                  + " double while they get used up.");

      public static final ConfigKey<Integer> SIZE =
          ConfigKey.define(
              PREFIX + ".size",
              INTEGER,
              64,
              Range.between(0, 65536),
              "Most unused placements kept per replication; more are dropped rather than left"
                  + " to go stale.");

      public static final ConfigKey<Duration> MAX_AGE =
          ConfigKey.define(
              PREFIX + ".max.age.ms",
              DURATION_MS,
              Duration.ofSeconds(2),
              POSITIVE,
              "A reserved placement older than this is not used: the nodes it names may have"
                  + " died since.");
    }
  }

  public static final class Meta {
    private Meta() {}

    public static final String PREFIX = ClientConfigKeys.PREFIX + ".meta";

    public static final ConfigKey<Duration> CALL_DEADLINE =
        ConfigKey.define(
            PREFIX + ".call.deadline.ms",
            DURATION_MS,
            Duration.ofSeconds(30),
            POSITIVE,
            "A metadata call that found no leader for this long fails; it must outlive a leader"
                + " election. The raftfs command's --timeout overrides it.");

    public static final ConfigKey<Duration> ATTEMPT_TIMEOUT =
        ConfigKey.define(
            PREFIX + ".attempt.timeout.ms",
            DURATION_MS,
            Duration.ofSeconds(3),
            POSITIVE,
            "One HTTP attempt against one master: a dead master that does not reset the"
                + " connection costs at most this.");

    public static final ConfigKey<Duration> RETRY_PAUSE_MAX =
        ConfigKey.define(
            PREFIX + ".retry.pause.max.ms",
            DURATION_MS,
            Duration.ofMillis(100),
            POSITIVE,
            "Longest pause between rounds of attempts while there is no leader (pauses grow from"
                + " 25 ms): short, so a waiting client finds a new leader soon after it is"
                + " elected.");
  }

  public static final ConfigKeySet ALL =
      ConfigKeySet.of(
          "Client",
          "The `raftfs` command reads `~/.raftfs/raftfs.conf` or `--conf FILE`; Java programs"
              + " pass a `ClientConfig` to `FileSystemClient`.",
          List.of(
              MASTERS,
              UMASK,
              Auth.ACCESS_KEY,
              Auth.SECRET_KEY,
              Tls.CA_FILE,
              Tls.CRL_FILE,
              Transfer.PARALLELISM,
              Transfer.FILES,
              DataNode.CONNECT_TIMEOUT,
              DataNode.PUT_ANSWER_TIMEOUT,
              DataNode.PUT_ANSWER_TIMEOUT_PER_MIB,
              DataNode.STALL_TIMEOUT,
              DataNode.CONNECTION_IDLE,
              Placement.PATIENCE,
              Placement.Reserve.BATCH,
              Placement.Reserve.SIZE,
              Placement.Reserve.MAX_AGE,
              Meta.CALL_DEADLINE,
              Meta.ATTEMPT_TIMEOUT,
              Meta.RETRY_PAUSE_MAX));
}
