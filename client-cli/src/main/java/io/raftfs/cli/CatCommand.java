package io.raftfs.cli;

import io.raftfs.client.FileSystemClient;
import io.raftfs.client.TransferListener;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "cat", description = "Write files to standard output, verified, one after another.")
final class CatCommand extends ClientCommand {
  @Parameters(arity = "1..*", paramLabel = "REMOTE", description = "Files in the cluster.")
  List<String> paths;

  @Override
  void execute(FileSystemClient client) throws Exception {
    for (String path : paths) {
      client.get(remote(path), root().terminal.out(), TransferListener.NONE);
    }
  }
}
