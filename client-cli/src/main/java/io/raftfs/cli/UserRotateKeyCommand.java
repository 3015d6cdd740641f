package io.raftfs.cli;

import io.raftfs.client.FileSystemClient;
import io.raftfs.proto.UserInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "rotate-key",
    description = {
      "Give the user's access key a new secret, printed only now; the old secret is refused",
      "at once (the key id stays)."
    })
final class UserRotateKeyCommand extends ClientCommand {
  @Parameters(paramLabel = "NAME")
  String name;

  @Option(names = "--json", description = "JSON: name, accessKeyId, groups, secretKey.")
  boolean json;

  @Override
  void execute(FileSystemClient client) {
    UserInfo user = client.rotateUserKey(name);
    if (json) {
      out().println(Views.json(user).encodePrettily());
    } else {
      Views.userKey(user).print(out());
    }
  }
}
