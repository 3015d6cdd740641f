package io.raftfs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.testing.Await;
import io.raftfs.tls.PemFiles;
import io.raftfs.tls.RevocationList;
import io.raftfs.tls.TlsIdentity;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code raftfs admin cert revoke}: the CA's revocation list grows by the certificate, and
 * processes that were given the list refuse it within the re-read period, as clients checking a
 * server and as servers checking a client, without being restarted; other certificates pass.
 */
@Timeout(60)
class CertRevokeCommandTest {
  private static final String SERVER_AUTH = "ECDHE_ECDSA";

  @TempDir Path dir;
  private Path ca;

  private CliRun raftfs(String... args) {
    return CliRun.run(Map.of(), dir.resolve("home"), new byte[0], args);
  }

  @BeforeEach
  void makeCaAndCertificates() {
    ca = dir.resolve("ca");
    assertEquals(0, raftfs("admin", "ca", "init", "--dir", ca.toString()).exit());
    for (String node : List.of("dn-a", "dn-b")) {
      CliRun issue =
          raftfs(
              "admin",
              "cert",
              "issue",
              "--node",
              node,
              "--role",
              "datanode",
              "--ca",
              ca.toString(),
              "--out",
              dir.resolve("certs").toString());
      assertEquals(0, issue.exit(), issue::toString);
    }
  }

  private X509Certificate[] chainOf(String node) throws IOException {
    return PemFiles.certificates(dir.resolve("certs/" + node + ".pem"))
        .toArray(X509Certificate[]::new);
  }

  @Test
  void aRevokedCertificateIsRefusedBothWaysWithoutARestart() throws Exception {
    Path caFile = ca.resolve("ca.pem");
    Path crlFile = ca.resolve("crl.pem");
    TlsIdentity client = TlsIdentity.trusting(caFile, crlFile);
    List<String> logged = new CopyOnWriteArrayList<>();
    TlsIdentity server =
        TlsIdentity.load(
            caFile,
            dir.resolve("certs/dn-b.pem"),
            dir.resolve("certs/dn-b.key"),
            crlFile,
            logged::add);
    client.trustManager().checkServerTrusted(chainOf("dn-a"), SERVER_AUTH);
    server.trustManager().checkClientTrusted(chainOf("dn-a"), "EC");

    CliRun revoke =
        raftfs(
            "admin",
            "cert",
            "revoke",
            "--ca",
            ca.toString(),
            "--cert",
            dir.resolve("certs/dn-a.pem").toString());
    assertEquals(0, revoke.exit(), revoke::toString);
    String serial = chainOf("dn-a")[0].getSerialNumber().toString(16);
    assertTrue(
        revoke.out().contains("certificate serial " + serial + " revoked"), revoke::toString);

    String refusal = "certificate serial " + serial + " (datanode dn-a) was revoked at ";
    X509Certificate[] revoked = chainOf("dn-a");
    CertificateException refused =
        Await.value(
            RevocationList.RECHECK.multipliedBy(5),
            "the client to refuse the revoked certificate",
            () -> refusal(client, revoked));
    assertTrue(refused.getMessage().startsWith(refusal), refused::getMessage);
    // The server's list is its own, re-read on its own schedule.
    CertificateException asClient =
        Await.value(
            RevocationList.RECHECK.multipliedBy(5),
            "the server to refuse the revoked client certificate",
            () -> {
              try {
                server.trustManager().checkClientTrusted(revoked, "EC");
                return null;
              } catch (CertificateException e) {
                return e;
              }
            });
    assertTrue(asClient.getMessage().startsWith(refusal), asClient::getMessage);
    assertTrue(
        logged.stream()
            .anyMatch(line -> line.startsWith("refused a client certificate: " + refusal)),
        logged::toString);
    assertTrue(server.revocation(chainOf("dn-a")[0]).isPresent());

    // The others still pass; the revoked node cannot even start.
    client.trustManager().checkServerTrusted(chainOf("dn-b"), SERVER_AUTH);
    IOException start =
        assertThrows(
            IOException.class,
            () ->
                TlsIdentity.load(
                    caFile,
                    dir.resolve("certs/dn-a.pem"),
                    dir.resolve("certs/dn-a.key"),
                    crlFile,
                    line -> {}));
    assertTrue(start.getMessage().contains(refusal), start::getMessage);
  }

  /** How {@code client} refuses {@code chain} as a server's, or null while it trusts it. */
  private static CertificateException refusal(TlsIdentity client, X509Certificate[] chain) {
    try {
      client.trustManager().checkServerTrusted(chain, SERVER_AUTH);
      return null;
    } catch (CertificateException e) {
      return e;
    }
  }

  @Test
  void revokingBySerialTwiceLeavesTheListAsItWas() throws Exception {
    String serial = chainOf("dn-b")[0].getSerialNumber().toString(16);
    CliRun first = raftfs("admin", "cert", "revoke", "--ca", ca.toString(), "--serial", serial);
    assertEquals(0, first.exit(), first::toString);
    CliRun again = raftfs("admin", "cert", "revoke", "--ca", ca.toString(), "--serial", serial);
    assertEquals(0, again.exit(), again::toString);
    assertTrue(again.out().contains("was revoked already"), again::toString);
    assertEquals(1, PemFiles.crls(ca.resolve("crl.pem")).get(0).getRevokedCertificates().size());
  }

  @Test
  void aListOfAnotherCaOrABadSerialIsOneLine() throws Exception {
    Path other = dir.resolve("other");
    assertEquals(0, raftfs("admin", "ca", "init", "--dir", other.toString()).exit());
    IOException e =
        assertThrows(
            IOException.class,
            () -> TlsIdentity.trusting(ca.resolve("ca.pem"), other.resolve("crl.pem")));
    assertTrue(e.getMessage().contains("no revocation list signed by the CA"), e::getMessage);

    CliRun bad = raftfs("admin", "cert", "revoke", "--ca", ca.toString(), "--serial", "xyz");
    assertEquals(2, bad.exit(), bad::toString);
    assertEquals("raftfs: --serial: not a hexadecimal number: xyz\n", bad.stderr(), bad::toString);

    CliRun foreign =
        raftfs(
            "admin",
            "cert",
            "revoke",
            "--ca",
            other.toString(),
            "--cert",
            dir.resolve("certs/dn-a.pem").toString());
    assertEquals(2, foreign.exit(), foreign::toString);
    assertTrue(foreign.stderr().contains("not issued by the CA in"), foreign::toString);
  }
}
