package io.raftfs.cli;

import io.raftfs.client.FileSystemClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "mv",
    description = {
      "Rename a file or directory atomically.",
      "Into DEST under its own name when DEST is a directory; an existing file is never replaced."
    })
final class MoveCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "SOURCE")
  String source;

  @Parameters(index = "1", paramLabel = "DEST")
  String destination;

  @Override
  void execute(FileSystemClient client) {
    client.rename(remote(source), remote(destination));
  }
}
