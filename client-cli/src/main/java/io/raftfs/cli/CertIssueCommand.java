package io.raftfs.cli;

import io.raftfs.cli.certs.CertificateAuthority;
import io.raftfs.tls.NodeName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "issue",
    description = {
      "Issue a node's certificate with the CA in --ca: writes ID.pem and ID.key (mode 600) to",
      "--out. The certificate names raftfs://ROLE/ID and every --host the node is reached at;",
      "a data node's ID is the one in its data directory's node-id file, or, for a new",
      "directory, the one it will take from this certificate. An S3 gateway's (--role s3) is",
      "what it serves S3 clients on its port (raftfs.s3.tls.cert.file); any ID names it."
    })
final class CertIssueCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--node", required = true, paramLabel = "ID", description = "The node's id.")
  String nodeId;

  @Option(
      names = "--role",
      required = true,
      paramLabel = "ROLE",
      description = "master, datanode or s3 (an S3 gateway).")
  String role;

  @Option(names = "--ca", required = true, paramLabel = "DIR", description = "The CA's directory.")
  Path ca;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write.")
  Path out;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      description =
          "A name or IP address the node is reached at; repeat for each (default:"
              + " localhost and 127.0.0.1).")
  List<String> hosts;

  @Option(
      names = "--days",
      defaultValue = "365",
      paramLabel = "N",
      description = "How long the certificate is valid (default ${DEFAULT-VALUE} days).")
  int days;

  @Override
  public Integer call() throws Exception {
    NodeName node;
    try {
      node = new NodeName(NodeName.Role.valueOf(role.toUpperCase(Locale.ROOT)), nodeId);
    } catch (IllegalArgumentException e) {
      throw new UsageException(
          e.getMessage().startsWith("No enum")
              ? "--role must be master, datanode or s3, not " + role
              : e.getMessage());
    }
    if (days < 1) {
      throw new UsageException("--days must be at least 1");
    }
    Path certFile =
        CertificateAuthority.load(ca)
            .issue(
                node,
                hosts == null || hosts.isEmpty() ? List.of("localhost", "127.0.0.1") : hosts,
                out,
                Duration.ofDays(days));
    spec.commandLine()
        .getOut()
        .println(certFile + ": certificate of " + node + "; its key is next to it (.key)");
    return ExitCode.OK.code;
  }
}
