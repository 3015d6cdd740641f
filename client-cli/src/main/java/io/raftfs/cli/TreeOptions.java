package io.raftfs.cli;

import io.raftfs.client.config.ClientConfig;
import io.raftfs.client.config.ClientConfigKeys;
import io.raftfs.config.ConfigException;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** The options of {@code put -R} and {@code get -R}, checked, resolved and reported alike. */
final class TreeOptions {
  @Option(
      names = {"-R", "--recursive"},
      description = "A directory tree: into the target, or under it if it is a directory.")
  boolean recursive;

  @Option(
      names = "--parallel",
      paramLabel = "N",
      description = "With -R: files in flight at once. Default: raftfs.client.transfer.files")
  Integer parallel;

  @Option(
      names = "--json",
      description = "With -R: print a summary (files, bytes, seconds, failures) as JSON.")
  boolean json;

  /** Refuses {@code --parallel} and {@code --json} without {@code -R}, and a bad count. */
  void check(String verb) {
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
  int parallelism(ClientConfig config) {
    return parallel != null ? parallel : config.filesInFlight();
  }

  /**
   * Prints the summary (JSON on stdout with {@code --json}; a count of failures on stderr when some
   * failed) and returns the command's exit status.
   */
  ExitCode report(TreeTransfer.Summary summary, PrintWriter out, PrintWriter err) {
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
