package io.raftfs.cli;

import io.raftfs.client.FileSystemClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "remove",
    description = "Remove a user: every master refuses its key as soon as it applied the removal.")
final class UserRemoveCommand extends ClientCommand {
  @Parameters(paramLabel = "NAME")
  String name;

  @Override
  void execute(FileSystemClient client) {
    client.removeUser(name);
    out().println(name + ": removed");
  }
}
