package io.raftfs.cli;

import io.raftfs.cli.certs.CertificateAuthority;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "init",
    description = {
      "Make a new CA in DIR: ca.pem, which every master, data node and client needs,",
      "ca.key (mode 600), which issues certificates: keep it off the cluster's hosts, and",
      "crl.pem, its revocation list, empty until raftfs admin cert revoke adds to it."
    })
final class CaInitCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Where to write.")
  Path dir;

  @Option(
      names = "--days",
      defaultValue = "3650",
      paramLabel = "N",
      description = "How long the CA is valid (default ${DEFAULT-VALUE} days).")
  int days;

  @Override
  public Integer call() throws Exception {
    if (days < 1) {
      throw new UsageException("--days must be at least 1");
    }
    CertificateAuthority ca = CertificateAuthority.create(dir, Duration.ofDays(days));
    spec.commandLine()
        .getOut()
        .println(
            dir.resolve(CertificateAuthority.CERT_FILE)
                + ": the CA certificate; its key is "
                + dir.resolve(CertificateAuthority.KEY_FILE)
                + ", its revocation list "
                + ca.crlFile());
    return ExitCode.OK.code;
  }
}
