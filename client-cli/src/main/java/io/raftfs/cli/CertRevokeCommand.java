package io.raftfs.cli;

import io.raftfs.cli.certs.CertificateAuthority;
import io.raftfs.tls.PemFiles;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "revoke",
    description = {
      "Revoke a certificate the CA in --ca issued: adds it to the CA's revocation list,",
      "DIR/crl.pem, signed anew. Copy the file to every host, where raftfs.master.tls.crl.file,",
      "raftfs.datanode.tls.crl.file and raftfs.client.tls.crl.file (RAFTFS_CRL_FILE) name it:",
      "processes re-read it within seconds, and refuse the certificate from then on."
    })
final class CertRevokeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--ca", required = true, paramLabel = "DIR", description = "The CA's directory.")
  Path ca;

  @ArgGroup(multiplicity = "1")
  Which which;

  static final class Which {
    @Option(names = "--cert", paramLabel = "FILE", description = "The certificate (PEM).")
    Path cert;

    @Option(
        names = "--serial",
        paramLabel = "HEX",
        description = "Its serial number in hex, as openssl x509 -serial prints it.")
    String serial;
  }

  @Override
  public Integer call() throws Exception {
    CertificateAuthority authority = CertificateAuthority.load(ca);
    BigInteger serial;
    if (which.cert != null) {
      X509Certificate certificate = PemFiles.certificates(which.cert).get(0);
      try {
        // Every raftfs CA has the same name: only the signature tells them apart.
        certificate.verify(authority.certificate().getPublicKey());
      } catch (GeneralSecurityException e) {
        throw new UsageException(which.cert + ": not issued by the CA in " + ca);
      }
      serial = certificate.getSerialNumber();
    } else {
      try {
        serial = new BigInteger(which.serial.replace(":", ""), 16);
      } catch (NumberFormatException e) {
        throw new UsageException("--serial: not a hexadecimal number: " + which.serial);
      }
    }
    boolean revoked = authority.revoke(serial);
    spec.commandLine()
        .getOut()
        .println(
            authority.crlFile()
                + ": certificate serial "
                + serial.toString(16)
                + (revoked ? " revoked" : " was revoked already")
                + "; copy the file to every host that checks it");
    return ExitCode.OK.code;
  }
}
