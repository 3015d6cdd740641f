package io.raftfs.cli;

import io.raftfs.client.FileSystemClient;
import io.raftfs.proto.FileStatus;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "chmod",
    description = {
      "Change the mode of files and directories: only their owner or a superuser may.",
      "MODE is octal (755, 1777 with the sticky bit) or symbolic (u+x,go-w, a=rX, +t)."
    })
final class ChmodCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "MODE")
  String modeText;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "PATH")
  List<String> paths;

  @Option(names = "-R", description = "Change everything below directories too.")
  boolean recursive;

  private FileMode mode;

  @Override
  void checkArguments() {
    mode = FileMode.parse(modeText);
  }

  @Override
  void execute(FileSystemClient client) {
    for (String path : paths) {
      TreeWalk.walk(client, remote(path), recursive, this::change);
    }
  }

  private void change(FileSystemClient client, FileStatus entry) {
    client.setPermission(
        entry.getPath(), mode.applyTo(entry.getPermission(), entry.getDirectory()));
  }
}
