package io.raftfs.meta.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.auth.AccessKey;
import io.raftfs.auth.CredentialsFile;
import io.raftfs.testing.FreePorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The master process's start-up errors: one line on stderr and a documented exit code. */
class MasterMainTest {
  @TempDir Path dir;

  private record Result(int exitCode, String output) {}

  private Result run(String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String[] command = new String[args.length + 4];
    command[0] = java;
    command[1] = "-cp";
    command[2] = System.getProperty("java.class.path");
    command[3] = MasterMain.class.getName();
    System.arraycopy(args, 0, command, 4, args.length);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "master exits by itself");
    return new Result(
        process.exitValue(),
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  private Path config(String text) throws IOException {
    Path file = dir.resolve("master.conf");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void missingConfigFileIsAConfigurationError() throws Exception {
    Result result = run("--config", dir.resolve("nope.conf").toString());
    assertEquals(MasterMain.EXIT_CONFIG, result.exitCode());
    assertEquals(
        "raftfs-master: config file " + dir.resolve("nope.conf") + " does not exist\n",
        result.output());
  }

  @Test
  void badPeersNameTheKey() throws Exception {
    Path conf =
        config(
            "raftfs.master.id=m1\nraftfs.master.peers=m1=localhost\nraftfs.master.storage.dir="
                + dir
                + "\n");
    Result result = run("--config", conf.toString());
    assertEquals(MasterMain.EXIT_CONFIG, result.exitCode());
    assertEquals(
        "raftfs-master: raftfs.master.peers: 'm1=localhost' is not id=host:raftPort:httpPort\n",
        result.output());
  }

  @Test
  void anUnknownKeyIsOneLineNamingItAndTheNearestKnownOne() throws Exception {
    Path conf =
        config(
            "raftfs.master.id=m1\nraftfs.master.peers=m1=127.0.0.1:1:2\nraftfs.master.storage.dir="
                + dir
                + "\nraftfs.master.election.timeout.min=300\nraft.server.rpc.timeout.min=1s\n");
    Result result = run("--config", conf.toString());
    assertEquals(MasterMain.EXIT_CONFIG, result.exitCode());
    assertEquals(
        "raftfs-master: unknown key raftfs.master.election.timeout.min (did you mean"
            + " raftfs.master.election.timeout.min.ms?)\n",
        result.output());
  }

  @Test
  void aUsedPortIsAStartupErrorThatSaysSo() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Path conf =
          config(
              "raftfs.master.id=m1\nraftfs.master.peers=m1=127.0.0.1:"
                  + FreePorts.next()
                  + ":"
                  + taken.getLocalPort()
                  + "\nraftfs.master.auth.enabled=false\nraftfs.master.tls.enabled=false"
                  + "\nraftfs.master.http.bind-host=127.0.0.1\nraftfs.master.storage.dir="
                  + dir.resolve("s")
                  + "\n");
      Result result = run("--config", conf.toString());
      assertEquals(MasterMain.EXIT_STARTUP, result.exitCode());
      assertTrue(
          result
              .output()
              .lines()
              .anyMatch(
                  line ->
                      line.startsWith("raftfs-master: cannot start master m1: ")
                          && line.contains("in use")),
          result.output());
    }
  }

  @Test
  void anUnwritableStorageDirectoryIsAStartupError() throws Exception {
    Path file = Files.writeString(dir.resolve("plain-file"), "x");
    Path conf =
        config(
            "raftfs.master.id=m1\nraftfs.master.peers=m1=127.0.0.1:1:2\nraftfs.master.storage.dir="
                + file.resolve("sub")
                + "\nraftfs.master.auth.enabled=false\nraftfs.master.tls.enabled=false\n");
    Result result = run("--config", conf.toString());
    assertEquals(MasterMain.EXIT_STARTUP, result.exitCode());
    assertTrue(
        result.output().startsWith("raftfs-master: cannot start master m1: "), result.output());
  }

  @Test
  void aRootKeyFileOthersMayReadIsAStartupErrorThatSaysSo() throws Exception {
    Path keyFile = dir.resolve("root.credentials");
    CredentialsFile.create(keyFile, AccessKey.generate());
    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));
    Path conf =
        config(
            "raftfs.master.id=m1\nraftfs.master.peers=m1=127.0.0.1:"
                + FreePorts.next()
                + ":"
                + FreePorts.next()
                + "\nraftfs.master.http.bind-host=127.0.0.1\nraftfs.master.storage.dir="
                + dir.resolve("s")
                + "\nraftfs.master.auth.root.credentials.file="
                + keyFile
                + "\nraftfs.master.tls.enabled=false\n");
    Result result = run("--config", conf.toString());
    assertEquals(MasterMain.EXIT_STARTUP, result.exitCode());
    assertTrue(
        result.output().contains(keyFile + " may be read by others (rw-r--r--): chmod 600 it"),
        result.output());
  }

  @Test
  void tlsIsOnByDefaultAndNeedsItsFiles() throws Exception {
    Path conf =
        config(
            "raftfs.master.id=m1\nraftfs.master.peers=m1=127.0.0.1:1:2\nraftfs.master.storage.dir="
                + dir
                + "\nraftfs.master.auth.enabled=false\n");
    Result result = run("--config", conf.toString());
    assertEquals(MasterMain.EXIT_CONFIG, result.exitCode());
    assertEquals(
        "raftfs-master: raftfs.master.tls.ca.file is required while raftfs.master.tls.enabled is"
            + " true (see docs/security.md)\n",
        result.output());
  }

  @Test
  void aMissingCertificateFileIsAStartupErrorNamingIt() throws Exception {
    Path missing = dir.resolve("tls/ca.pem");
    Path conf =
        config(
            "raftfs.master.id=m1\nraftfs.master.peers=m1=127.0.0.1:"
                + FreePorts.next()
                + ":"
                + FreePorts.next()
                + "\nraftfs.master.http.bind-host=127.0.0.1\nraftfs.master.storage.dir="
                + dir.resolve("s")
                + "\nraftfs.master.auth.enabled=false"
                + "\nraftfs.master.tls.ca.file="
                + missing
                + "\nraftfs.master.tls.cert.file="
                + dir.resolve("tls/m1.pem")
                + "\nraftfs.master.tls.key.file="
                + dir.resolve("tls/m1.key")
                + "\n");
    Result result = run("--config", conf.toString());
    assertEquals(MasterMain.EXIT_STARTUP, result.exitCode());
    assertEquals(
        "raftfs-master: cannot start master m1: " + missing + ": no such file\n", result.output());
  }
}
