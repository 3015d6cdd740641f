package io.raftfs.cli;

import io.raftfs.client.FileSystemClient;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "get",
    description = {
      "Download a file to a local file, or to standard output with -.",
      "Every block is checked against its CRC32C; a local file appears only when complete."
    })
final class GetCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "REMOTE", description = "File in the cluster.")
  String remote;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "LOCAL",
      description = "Local file or directory, or - for stdout. Default: the current directory.")
  String local = ".";

  @Option(
      names = {"-f", "--force"},
      description = "Overwrite an existing local file.")
  boolean force;

  @Override
  void execute(FileSystemClient client) throws Exception {
    String path = remote(remote);
    String name = path.substring(path.lastIndexOf('/') + 1);
    if (local.equals("-")) {
      try (ProgressBar bar = ProgressBar.forCommand(root(), name)) {
        client.get(path, root().terminal.out(), bar);
      }
      return;
    }
    Path target = Path.of(local);
    if (Files.isDirectory(target)) {
      target = target.resolve(name);
    }
    try (ProgressBar bar = ProgressBar.forCommand(root(), name)) {
      client.get(path, target, force, bar);
    }
  }
}
