package io.raftfs.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a run of {@code raftfs} talks to: standard streams, environment and home directory. Tests
 * pass their own to run commands in-process.
 *
 * @param interactive whether stderr is a terminal (progress bars are drawn only then)
 */
record Terminal(
    InputStream in,
    PrintStream out,
    PrintStream err,
    Map<String, String> env,
    Path home,
    boolean interactive) {

  static Terminal system() {
    return new Terminal(
        System.in,
        System.out,
        System.err,
        System.getenv(),
        Path.of(System.getProperty("user.home")),
        System.console() != null);
  }
}
