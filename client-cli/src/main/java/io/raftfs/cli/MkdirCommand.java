package io.raftfs.cli;

import io.raftfs.client.FileSystemClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "mkdir", description = "Create directories.")
final class MkdirCommand extends ClientCommand {
  @Parameters(arity = "1..*", paramLabel = "PATH")
  List<String> paths;

  @Option(
      names = {"-p", "--parents"},
      description = "Create missing parents; no error if the directory exists.")
  boolean parents;

  @Override
  void execute(FileSystemClient client) {
    for (String path : paths) {
      client.mkdir(remote(path), parents);
    }
  }
}
