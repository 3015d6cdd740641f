package io.raftfs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.tls.NodeName;
import io.raftfs.tls.PemFiles;
import io.raftfs.tls.TlsIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code raftfs admin ca init} and {@code raftfs admin cert issue}: the files the processes load,
 * keys only their owner may read, the node named as the masters check it, and one line for a wrong
 * role or a CA that is not there.
 */
class AdminCertCommandsTest {
  @TempDir Path dir;

  private CliRun raftfs(String... args) {
    return CliRun.run(Map.of(), dir.resolve("home"), new byte[0], args);
  }

  @Test
  void aCaIssuesCertificatesTheProcessesLoad() throws Exception {
    Path ca = dir.resolve("ca");
    CliRun init = raftfs("admin", "ca", "init", "--dir", ca.toString());
    assertEquals(0, init.exit(), init::toString);
    CliRun issue =
        raftfs(
            "admin",
            "cert",
            "issue",
            "--node",
            "dn-7",
            "--role",
            "datanode",
            "--ca",
            ca.toString(),
            "--out",
            dir.resolve("certs").toString(),
            "--host",
            "data-7.example",
            "--host",
            "10.0.1.7");
    assertEquals(0, issue.exit(), issue::toString);

    assertEquals("rw-------", mode(ca.resolve("ca.key")));
    assertEquals("rw-------", mode(dir.resolve("certs/dn-7.key")));
    TlsIdentity node =
        TlsIdentity.load(
            ca.resolve("ca.pem"), dir.resolve("certs/dn-7.pem"), dir.resolve("certs/dn-7.key"));
    assertEquals(new NodeName(NodeName.Role.DATANODE, "dn-7"), node.self().orElseThrow());
    X509Certificate certificate = PemFiles.certificates(dir.resolve("certs/dn-7.pem")).get(0);
    List<String> names =
        certificate.getSubjectAlternativeNames().stream()
            .map(name -> String.valueOf(name.get(1)))
            .toList();
    assertEquals(List.of("raftfs://datanode/dn-7", "data-7.example", "10.0.1.7"), names);
    assertTrue(certificate.getSubjectX500Principal().getName().contains("CN=dn-7"));
  }

  @Test
  void aCertificateOfAnotherCaDoesNotLoad() throws Exception {
    assertEquals(0, raftfs("admin", "ca", "init", "--dir", dir.resolve("a").toString()).exit());
    assertEquals(0, raftfs("admin", "ca", "init", "--dir", dir.resolve("b").toString()).exit());
    CliRun issue =
        raftfs(
            "admin",
            "cert",
            "issue",
            "--node",
            "m1",
            "--role",
            "master",
            "--ca",
            dir.resolve("b").toString(),
            "--out",
            dir.resolve("certs").toString());
    assertEquals(0, issue.exit(), issue::toString);
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                TlsIdentity.load(
                    dir.resolve("a/ca.pem"),
                    dir.resolve("certs/m1.pem"),
                    dir.resolve("certs/m1.key")));
    assertTrue(e.getMessage().contains("not issued by the CA"), e::getMessage);
  }

  @Test
  void aKeyOthersMayReadIsRefused() throws Exception {
    assertEquals(0, raftfs("admin", "ca", "init", "--dir", dir.resolve("ca").toString()).exit());
    Files.setPosixFilePermissions(
        dir.resolve("ca/ca.key"), PosixFilePermissions.fromString("rw-r--r--"));
    IOException e =
        assertThrows(IOException.class, () -> PemFiles.privateKey(dir.resolve("ca/ca.key")));
    assertTrue(e.getMessage().contains("may be read by others"), e::getMessage);
  }

  @Test
  void aWrongRoleOrAMissingCaIsOneLine() {
    CliRun role =
        raftfs(
            "admin",
            "cert",
            "issue",
            "--node",
            "x",
            "--role",
            "client",
            "--ca",
            dir.toString(),
            "--out",
            dir.toString());
    assertEquals(2, role.exit(), role::toString);
    assertTrue(
        role.stderr().startsWith("raftfs: --role must be master, datanode or s3, not client\n"),
        role::toString);

    CliRun missing =
        raftfs(
            "admin",
            "cert",
            "issue",
            "--node",
            "x",
            "--role",
            "master",
            "--ca",
            dir.resolve("nowhere").toString(),
            "--out",
            dir.toString());
    assertEquals(1, missing.exit(), missing::toString);
    assertTrue(missing.stderr().contains("ca.pem: no such file"), missing::toString);
    assertEquals(1, missing.stderr().lines().count(), missing::toString);
  }

  private static String mode(Path file) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }
}
