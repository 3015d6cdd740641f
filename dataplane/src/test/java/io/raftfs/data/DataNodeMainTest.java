package io.raftfs.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process entry point: one clear line and an exit code for every way a start can fail. */
class DataNodeMainTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void startsFromConfigFileWithOverrides() throws Exception {
    Path conf = dir.resolve("datanode.conf");
    Files.writeString(
        conf,
        "raftfs.datanode.dir="
            + dir.resolve("wrong")
            + "\nraftfs.datanode.http.port=0\nraftfs.datanode.tls.enabled=false\n");

    DataNodeMain.Started started =
        start("--config", conf.toString(), "--set", "raftfs.datanode.dir=" + dir.resolve("dn"));

    assertNotNull(started.node(), err.toString());
    try (DataNode node = started.node()) {
      assertEquals(dir.resolve("dn"), node.dir());
      assertTrue(node.httpAddress().startsWith("127.0.0.1:"));
    }
  }

  @Test
  void noArgumentsPrintsUsage() {
    assertFailure(DataNodeMain.EXIT_USAGE, "usage: raftfs-datanode", start());
  }

  @Test
  void missingConfigFileIsNamed() {
    assertFailure(
        DataNodeMain.EXIT_USAGE,
        "config file " + dir.resolve("nope.conf") + " not found",
        start("--config", dir.resolve("nope.conf").toString()));
  }

  @Test
  void badSettingIsNamed() {
    assertFailure(
        DataNodeMain.EXIT_USAGE,
        "raftfs.datanode.http.port: 'x' is not an integer",
        start("--set", "raftfs.datanode.dir=" + dir, "--set", "raftfs.datanode.http.port=x"));
  }

  @Test
  void anUnknownKeyIsNamedWithTheNearestKnownOne() {
    assertFailure(
        DataNodeMain.EXIT_USAGE,
        "raftfs-datanode: unknown key raftfs.datanode.scrubber.bytes.per.sec (did you mean"
            + " raftfs.datanode.scrubber.bytes.per.second?)",
        start(
            "--set",
            "raftfs.datanode.dir=" + dir,
            "--set",
            "raftfs.datanode.scrubber.bytes.per.sec=0"));
  }

  @Test
  void portInUseIsReported() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      assertFailure(
          DataNodeMain.EXIT_START_FAILED,
          "address already in use",
          start(
              "--set",
              "raftfs.datanode.dir=" + dir.resolve("dn"),
              "--set",
              "raftfs.datanode.http.port=" + taken.getLocalPort(),
              "--set",
              "raftfs.datanode.tls.enabled=false"));
    }
  }

  @Test
  void unusableDataDirectoryIsReported() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
    assertFailure(
        DataNodeMain.EXIT_START_FAILED,
        "cannot create data directory " + file.resolve("dn"),
        start(
            "--set",
            "raftfs.datanode.dir=" + file.resolve("dn"),
            "--set",
            "raftfs.datanode.tls.enabled=false"));
  }

  @Test
  void tlsIsOnByDefaultAndNeedsItsFiles() {
    assertFailure(
        DataNodeMain.EXIT_USAGE,
        "raftfs-datanode: raftfs.datanode.tls.ca.file is required while"
            + " raftfs.datanode.tls.enabled is true (see docs/security.md)",
        start("--set", "raftfs.datanode.dir=" + dir));
  }

  @Test
  void aMissingCertificateFileIsReportedByName() {
    Path missing = dir.resolve("tls/dn.pem");
    assertFailure(
        DataNodeMain.EXIT_START_FAILED,
        missing + ": no such file",
        start(
            "--set",
            "raftfs.datanode.dir=" + dir.resolve("dn"),
            "--set",
            "raftfs.datanode.tls.ca.file=" + missing,
            "--set",
            "raftfs.datanode.tls.cert.file=" + missing,
            "--set",
            "raftfs.datanode.tls.key.file=" + dir.resolve("tls/dn.key")));
  }

  private DataNodeMain.Started start(String... args) {
    return DataNodeMain.start(args, new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private void assertFailure(int exitCode, String message, DataNodeMain.Started started) {
    String printed = err.toString(StandardCharsets.UTF_8);
    assertEquals(null, started.node());
    assertEquals(exitCode, started.exitCode(), printed);
    assertTrue(printed.contains(message), printed);
    assertEquals(1, printed.lines().count(), "one line: " + printed);
  }
}
