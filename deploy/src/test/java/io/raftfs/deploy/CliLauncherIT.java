package io.raftfs.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * bin/raftfs and its class-data sharing archive (docs/performance.md, "CLI start-up") on the
 * distribution the build just made in target/raftfs/ (so this runs after package, by failsafe): the
 * build made the archive and raftfs maps it, and whatever befalls the archive (missing, garbage,
 * cut short, its size not recorded or wrong) raftfs starts as without it and prints nothing more.
 */
class CliLauncherIT {
  private static final Path DIST = Path.of("target", "raftfs").toAbsolutePath();
  private static final String ARCHIVE = "lib/raftfs-cli.jsa";
  private static final long TIMEOUT_SECONDS = 120;

  private record Result(int exit, String out, String err) {}

  @Test
  void theBuildMadeTheArchiveAndRaftfsMapsIt() throws Exception {
    assertTrue(Files.size(DIST.resolve(ARCHIVE)) > 0, ARCHIVE);
    // With -Xshare:on the JVM refuses to start rather than run without the archive.
    assertHelp(raftfs(DIST, Map.of("RAFTFS_CLI_OPTS", "-Xshare:on"), "--help"));
    assertHelp(raftfs(DIST, Map.of("RAFTFS_CLI_CDS", "off"), "--help"));
  }

  @Test
  void aBadCommandLineIsOneLineAndExit2WithTheArchive() throws Exception {
    Result result = raftfs(DIST, Map.of(), "stat");
    assertEquals(2, result.exit(), result.err());
    assertTrue(result.err().startsWith("raftfs: "), result.err());
  }

  @ParameterizedTest
  @ValueSource(strings = {"missing", "garbage", "cut short", "size not recorded", "size wrong"})
  void aDamagedArchiveIsLeftAloneSilently(String damage, @TempDir Path dir) throws Exception {
    Path copy = linkedCopy(dir);
    Path archive = copy.resolve(ARCHIVE);
    Path size = copy.resolve(ARCHIVE + ".size");
    byte[] good = Files.readAllBytes(DIST.resolve(ARCHIVE));
    Files.copy(DIST.resolve(ARCHIVE + ".size"), size);
    switch (damage) {
      case "missing" -> Files.delete(size);
      case "garbage" -> {
        byte[] garbage = new byte[good.length];
        new SplittableRandom(7).nextBytes(garbage);
        Files.write(archive, garbage);
      }
      // Mapped, a file shorter than its header says crashes the JVM (SIGBUS).
      case "cut short" -> Files.write(archive, Arrays.copyOf(good, good.length / 20));
      case "size not recorded" -> {
        Files.write(archive, Arrays.copyOf(good, good.length / 20));
        Files.delete(size);
      }
      case "size wrong" -> {
        Files.write(archive, Arrays.copyOf(good, good.length / 20));
        Files.writeString(size, "1+");
      }
      default -> throw new IllegalArgumentException(damage);
    }
    assertHelp(raftfs(copy, Map.of(), "--help"));
  }

  /**
   * C1 alone for the commands that end within a second, the tiered compiler for transfers; whatever
   * global options come first.
   */
  @ParameterizedTest
  @CsvSource({
    "1, --help",
    "1, stat --help",
    "1, --masters 127.0.0.1:1 ls --help",
    "4, put --help",
    "4, --timeout 1s get --help",
    "4, -q cat --help"
  })
  void onlyTransfersGetTheTieredCompiler(int level, String arguments) throws Exception {
    Result result =
        raftfs(DIST, Map.of("RAFTFS_CLI_OPTS", "-XX:+PrintFlagsFinal"), arguments.split(" "));
    Matcher flag = Pattern.compile("TieredStopAtLevel\\s+= (\\d)").matcher(result.out());
    assertTrue(flag.find(), result.out());
    assertEquals(level, Integer.parseInt(flag.group(1)), arguments);
  }

  private static void assertHelp(Result result) {
    assertEquals(0, result.exit(), result.err());
    assertTrue(result.out().startsWith("Usage: raftfs"), result.out());
    assertEquals("", result.err());
  }

  /** bin/ copied, every jar a link to the distribution's, and no archive: one to damage. */
  private static Path linkedCopy(Path dir) throws IOException {
    Path copy = dir.resolve("raftfs");
    Files.createDirectories(copy.resolve("bin"));
    Files.createDirectories(copy.resolve("lib"));
    Path raftfs = copy.resolve("bin/raftfs");
    Files.copy(DIST.resolve("bin/raftfs"), raftfs);
    assertTrue(raftfs.toFile().setExecutable(true));
    try (var jars = Files.newDirectoryStream(DIST.resolve("lib"), "*.jar")) {
      for (Path jar : jars) {
        Files.createSymbolicLink(copy.resolve("lib").resolve(jar.getFileName()), jar);
      }
    }
    return copy;
  }

  private static Result raftfs(Path dist, Map<String, String> environment, String... arguments)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(dist.resolve("bin/raftfs").toString());
    command.addAll(List.of(arguments));
    Path out = Files.createTempFile("raftfs-out", ".txt");
    Path err = Files.createTempFile("raftfs-err", ".txt");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      builder.environment().remove("RAFTFS_CLI_OPTS");
      builder.environment().remove("RAFTFS_CLI_CDS");
      builder.environment().putAll(environment);
      Process process = builder.start();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("raftfs " + String.join(" ", arguments) + " did not end");
      }
      return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
