package io.raftfs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What the command line does before and without a cluster: parsing, configuration, errors. */
class CommandLineTest {
  @TempDir Path home;

  /** A loopback address nothing listens on. */
  private static String deadMaster;

  @BeforeAll
  static void findDeadPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      deadMaster = "127.0.0.1:" + socket.getLocalPort();
    }
  }

  private CliRun raftfs(String... args) {
    return raftfs(Map.of(), args);
  }

  private CliRun raftfs(Map<String, String> env, String... args) {
    return CliRun.run(env, home, new byte[0], args);
  }

  @Test
  void helpOfEveryVerbListsTheExitCodes() {
    for (String verb :
        new String[] {"put", "get", "cat", "ls", "stat", "mkdir", "rm", "mv", "du"}) {
      CliRun run = raftfs(verb, "--help");
      assertEquals(0, run.exit(), run::toString);
      assertTrue(run.out().contains("Exit codes:"), run::toString);
      assertTrue(run.out().contains("10   no master reachable"), run::toString);
    }
    CliRun cluster = raftfs("cluster", "status", "--help");
    assertTrue(cluster.out().contains("--watch"), cluster::toString);
  }

  @Test
  void withoutMastersConfiguredItSaysHowToConfigureThemAndExits2() {
    CliRun run = raftfs("ls", "/");
    assertEquals(2, run.exit(), run::toString);
    assertEquals(
        "raftfs: no masters configured: use --masters HOST:PORT,..., set RAFTFS_MASTERS, or put"
            + " raftfs.masters in "
            + home.resolve(".raftfs/raftfs.conf")
            + "\n",
        run.stderr());
  }

  @Test
  void unreachableMastersExit10WithOneLineAndNoStackTrace() {
    CliRun run = raftfs("--masters", deadMaster, "--timeout", "300ms", "stat", "/");
    assertEquals(10, run.exit(), run::toString);
    assertTrue(run.stderr().startsWith("raftfs: no leader among " + deadMaster), run::toString);
    assertEquals(1, run.stderr().lines().count(), run::toString);
  }

  @Test
  void verbosePrintsTheStackTrace() {
    CliRun run = raftfs("--masters", deadMaster, "--timeout", "300ms", "--verbose", "stat", "/");
    assertEquals(10, run.exit(), run::toString);
    assertTrue(run.stderr().contains("MastersUnavailableException"), run::toString);
    assertTrue(run.stderr().contains("\tat io.raftfs."), run::toString);
  }

  @Test
  void aMalformedMasterAddressIsAUsageErrorWherever(@TempDir Path dir) throws IOException {
    CliRun badPort = raftfs("--masters", "127.0.0.1:99999", "ls", "/");
    assertEquals(2, badPort.exit(), badPort::toString);
    assertEquals("raftfs: --masters: '127.0.0.1:99999' is not host:port\n", badPort.stderr());

    CliRun noPort = raftfs(Map.of("RAFTFS_MASTERS", deadMaster + ",just-a-host"), "ls", "/");
    assertEquals(2, noPort.exit(), noPort::toString);
    assertEquals("raftfs: RAFTFS_MASTERS: 'just-a-host' is not host:port\n", noPort.stderr());

    Path conf = Files.writeString(dir.resolve("raftfs.conf"), "raftfs.masters=h:0\n");
    CliRun inConfig = raftfs("--conf", conf.toString(), "ls", "/");
    assertEquals(2, inConfig.exit(), inConfig::toString);
    assertTrue(inConfig.stderr().contains("'h:0' is not host:port"), inConfig::toString);
    assertEquals(1, inConfig.stderr().lines().count(), inConfig::toString);
  }

  @Test
  void theErrorLineHasNoControlCharacterAndIsCut() {
    // Text of the user's own, echoed back in the error: the same rule as for a server's text.
    CliRun run = raftfs("ls", "--\u001b[2J" + "x".repeat(1000));
    assertEquals(2, run.exit(), run::toString);
    String line = run.stderr().lines().findFirst().orElseThrow();
    assertTrue(line.startsWith("raftfs: Unknown option: '--?[2Jxxx"), run::toString);
    assertFalse(line.chars().anyMatch(c -> c < 0x20 || c == 0x7f), run::toString);
    assertTrue(line.length() <= "raftfs: ".length() + 401, run::toString);
  }

  @Test
  void mastersComeFromTheEnvironmentWhenNotGiven() {
    CliRun run = raftfs(Map.of("RAFTFS_MASTERS", deadMaster), "--timeout", "300ms", "ls");
    assertEquals(10, run.exit(), run::toString);
    assertTrue(run.stderr().contains(deadMaster), run::toString);
  }

  @Test
  void mastersComeFromTheDefaultConfigFileLast() throws IOException {
    Files.createDirectories(home.resolve(".raftfs"));
    Files.writeString(home.resolve(".raftfs/raftfs.conf"), "raftfs.masters=" + deadMaster + "\n");
    CliRun run = raftfs("--timeout", "300ms", "ls");
    assertEquals(10, run.exit(), run::toString);
    assertTrue(run.stderr().contains(deadMaster), run::toString);
  }

  @Test
  void anUnknownKeyInTheConfigFileExits2WithOneLineNamingItAndTheNearestKey() throws IOException {
    Path conf =
        Files.writeString(
            home.resolve("raftfs.conf"),
            "raftfs.masters=" + deadMaster + "\nraftfs.client.transfer.paralelism=8\n");
    CliRun run = raftfs("--conf", conf.toString(), "ls");
    assertEquals(2, run.exit(), run::toString);
    assertEquals(
        "raftfs: "
            + conf
            + ": unknown key raftfs.client.transfer.paralelism (did you mean"
            + " raftfs.client.transfer.parallelism?)\n",
        run.stderr());
  }

  @Test
  void aBadClientSettingExits2NamingTheKeyEvenWithMastersGiven() throws IOException {
    Path conf =
        Files.writeString(home.resolve("raftfs.conf"), "raftfs.client.meta.attempt.timeout.ms=0\n");
    CliRun run = raftfs("--masters", deadMaster, "--conf", conf.toString(), "ls");
    assertEquals(2, run.exit(), run::toString);
    assertEquals(
        "raftfs: "
            + conf
            + ": raftfs.client.meta.attempt.timeout.ms: 0 is out of range (at least 1)\n",
        run.stderr());
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS) // the default call deadline would take 30 s
  void theCallDeadlineComesFromTheConfigFile() throws IOException {
    Path conf =
        Files.writeString(
            home.resolve("raftfs.conf"),
            "raftfs.masters=" + deadMaster + "\nraftfs.client.meta.call.deadline.ms=300ms\n");
    CliRun run = raftfs("--conf", conf.toString(), "stat", "/");
    assertEquals(10, run.exit(), run::toString);
  }

  @Test
  void aMissingConfigFileGivenWithConfIsAConfigurationError() {
    CliRun run = raftfs("--conf", home.resolve("nope.conf").toString(), "ls");
    assertEquals(2, run.exit(), run::toString);
    assertTrue(run.stderr().contains("nope.conf: No such file or directory"), run::toString);
  }

  @Test
  void putOfAMissingLocalFileExits3BeforeAskingTheMasters() {
    CliRun run = raftfs("--masters", deadMaster, "put", "no-such-file", "/x");
    assertEquals(3, run.exit(), run::toString);
    assertEquals("raftfs: no-such-file: No such file or directory\n", run.stderr());
  }

  @Test
  void anInvalidBlockSizeIsAUsageErrorNamingTheOption() {
    CliRun run = raftfs("--masters", deadMaster, "put", "--block-size", "8x", "a", "/b");
    assertEquals(2, run.exit(), run::toString);
    assertTrue(run.stderr().contains("'--block-size'"), run::toString);
    assertTrue(run.stderr().contains("not a size: '8x'"), run::toString);
    assertTrue(run.stderr().contains("Try 'raftfs put --help'"), run::toString);
  }

  @Test
  void aZeroReplicationIsAUsageError() throws IOException {
    Path file = Files.writeString(home.resolve("f"), "x");
    CliRun run = raftfs("--masters", deadMaster, "put", "-r", "0", file.toString(), "/f");
    assertEquals(2, run.exit(), run::toString);
    assertEquals("raftfs: put: replication must be 1..16, not 0\n", run.stderr());
  }

  // With a dead master and a short timeout, a check made after asking it would exit 10.
  @Test
  void aReplicationAboveSixteenIsOneLineAndAUsageErrorBeforeAnyMasterIsAsked() throws IOException {
    Path file = Files.writeString(home.resolve("f"), "x");
    CliRun run =
        raftfs(
            "--masters",
            deadMaster,
            "--timeout",
            "300ms",
            "put",
            "-r",
            "17",
            file.toString(),
            "/f");
    assertEquals(2, run.exit(), run::toString);
    assertEquals("raftfs: put: replication must be 1..16, not 17\n", run.stderr());
  }

  @Test
  void aTinyBlockSizeIsOneLineAndAUsageErrorBeforeAnyMasterIsAsked() throws IOException {
    Path file = Files.writeString(home.resolve("f"), "x");
    for (String size : new String[] {"3", "4g"}) {
      CliRun run =
          raftfs(
              "--masters",
              deadMaster,
              "--timeout",
              "300ms",
              "put",
              "--block-size",
              size,
              file.toString(),
              "/f");
      assertEquals(2, run.exit(), run::toString);
      assertTrue(
          run.stderr()
              .matches("raftfs: put: block size must be 65536\\.\\.4294967295 bytes, not \\d+\n"),
          run::toString);
    }
  }

  @Test
  void missingArgumentsAreUsageErrors() {
    CliRun run = raftfs("--masters", deadMaster, "mv", "/a");
    assertEquals(2, run.exit(), run::toString);
    assertTrue(run.stderr().contains("Missing required parameter: 'DEST'"), run::toString);
    assertFalse(run.stderr().contains("\tat "), run::toString);
  }

  @Test
  void anUnknownVerbIsAUsageError() {
    CliRun run = raftfs("copy", "a", "b");
    assertEquals(2, run.exit(), run::toString);
  }
}
