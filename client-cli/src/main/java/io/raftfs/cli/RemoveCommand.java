package io.raftfs.cli;

import io.raftfs.client.FileSystemClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rm", description = "Delete files and directories; their blocks are freed.")
final class RemoveCommand extends ClientCommand {
  @Parameters(arity = "1..*", paramLabel = "PATH")
  List<String> paths;

  @Option(
      names = {"-r", "--recursive"},
      description = "Delete directories with everything in them.")
  boolean recursive;

  @Override
  void execute(FileSystemClient client) {
    for (String path : paths) {
      client.delete(remote(path), recursive);
    }
  }
}
