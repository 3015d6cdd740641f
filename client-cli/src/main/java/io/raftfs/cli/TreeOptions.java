package io.raftfs.cli;

import io.raftfs.client.config.ClientConfig;
import io.raftfs.client.config.ClientConfigKeys;
import io.raftfs.config.ConfigException;
import java.io.PrintWriter;

/** The options {@code put -R} and {@code get -R} share: checked, resolved and reported alike. */
final class TreeOptions {
  private TreeOptions() {}

  /** Refuses {@code --parallel} and {@code --json} without {@code -R}, and a bad count. */
  static void check(String verb, boolean recursive, Integer parallel, boolean json) {
    if (!recursive && (parallel != null || json)) {
      throw new UsageException(verb + ": --parallel and --json go with -R");
    }
    if (parallel != null) {
      try {
        ClientConfigKeys.Transfer.FILES.parse(parallel.toString());
      } catch (ConfigException e) {
        throw new UsageException(
            verb
                + ": --parallel "
                + parallel
                + ": must be "
                + ClientConfigKeys.Transfer.FILES.describeValid());
      }
    }
  }

  /** {@code --parallel} if given, else the config's {@code raftfs.client.transfer.files}. */
  static int parallelism(ClientConfig config, Integer parallel) {
    return parallel != null ? parallel : config.filesInFlight();
  }

  /**
   * Prints the summary (JSON on stdout with {@code --json}; a count of failures on stderr when some
   * failed) and returns the command's exit status.
   */
  static ExitCode report(
      TreeTransfer.Summary summary, boolean json, PrintWriter out, PrintWriter err) {
    if (json) {
      out.println(summary.json().encodePrettily());
    }
    if (!summary.failures().isEmpty()) {
      err.println(
          "raftfs: "
              + summary.failures().size()
              + " of "
              + summary.files()
              + " files failed; the others were moved");
    }
    return summary.exit();
  }
}
