package io.raftfs.cli;

import io.raftfs.client.FileSystemClient;
import io.raftfs.client.config.ClientConfig;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A verb that needs the cluster: resolves the masters, opens a {@link FileSystemClient} for the
 * duration of {@link #execute} and closes it after. Subclasses write results with {@link #out()}.
 */
@Command
abstract class ClientCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** What {@link #call} returns when {@link #execute} completes; a verb may set a finding. */
  ExitCode exit = ExitCode.OK;

  /** The settings {@link #execute} runs with. */
  ClientConfig config;

  @Override
  public final Integer call() throws Exception {
    checkArguments();
    RaftfsCommand root = root();
    config = root.clientConfig();
    try (FileSystemClient client = new FileSystemClient(root.masterAddresses(config), config)) {
      execute(client);
    }
    return exit.code;
  }

  /** Refuses arguments no master would take, before any master is asked. */
  void checkArguments() {}

  abstract void execute(FileSystemClient client) throws Exception;

  RaftfsCommand root() {
    return (RaftfsCommand) spec.root().userObject();
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** A remote path as the masters expect it: absolute. */
  static String remote(String path) {
    return path.startsWith("/") ? path : "/" + path;
  }
}
