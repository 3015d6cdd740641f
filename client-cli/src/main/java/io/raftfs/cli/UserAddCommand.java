package io.raftfs.cli;

import io.raftfs.client.FileSystemClient;
import io.raftfs.proto.UserInfo;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "add",
    description = {
      "Add a user with a new access key, and print the key: the secret is shown only now.",
      "The user's own name is its primary group."
    })
final class UserAddCommand extends ClientCommand {
  @Parameters(paramLabel = "NAME", description = "1..64 characters of a-z 0-9 . _ -")
  String name;

  @Option(
      names = "--groups",
      split = ",",
      paramLabel = "GROUP",
      description = "Other groups, comma-separated (at most 16).")
  List<String> groups = List.of();

  @Option(names = "--json", description = "JSON: name, accessKeyId, groups, secretKey.")
  boolean json;

  @Override
  void execute(FileSystemClient client) {
    UserInfo user = client.addUser(name, groups);
    if (json) {
      out().println(Views.json(user).encodePrettily());
    } else {
      Views.userKey(user).print(out());
    }
  }
}
