package io.raftfs.cli;

import java.nio.file.Path;
import java.util.Map;

/** Runs the {@code raftfs} command in this JVM, for tests outside this package. */
public final class InProcessCli {
  private InProcessCli() {}

  /** What one run printed and returned. */
  public record Result(int exit, String stdout, String stderr) {}

  /** Runs {@code raftfs args} with {@code env} and {@code home}, nothing on stdin. */
  public static Result run(Map<String, String> env, Path home, String... args) {
    CliRun run = CliRun.run(env, home, new byte[0], args);
    return new Result(run.exit(), run.out(), run.stderr());
  }
}
