package io.raftfs.cli;

import io.raftfs.client.FileSystemClient;
import io.raftfs.proto.FileStatus;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "chown",
    description = {
      "Change the owner and group of files and directories.",
      "Only a superuser changes the owner; an owner may set the group to one of its own groups.",
      "OWNER[:GROUP] sets both (a missing GROUP keeps it), :GROUP the group alone."
    })
final class ChownCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "OWNER[:GROUP]")
  String ownerText;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "PATH")
  List<String> paths;

  @Option(names = "-R", description = "Change everything below directories too.")
  boolean recursive;

  private String owner;
  private String group;

  @Override
  void checkArguments() {
    int colon = ownerText.indexOf(':');
    owner = colon < 0 ? ownerText : ownerText.substring(0, colon);
    group = colon < 0 ? "" : ownerText.substring(colon + 1);
    if (owner.isEmpty() && group.isEmpty()) {
      throw new UsageException(ownerText + ": neither an owner nor a group (OWNER[:GROUP])");
    }
  }

  @Override
  void execute(FileSystemClient client) {
    for (String path : paths) {
      TreeWalk.walk(client, remote(path), recursive, this::change);
    }
  }

  private void change(FileSystemClient client, FileStatus entry) {
    client.setOwner(entry.getPath(), owner, group);
  }
}
