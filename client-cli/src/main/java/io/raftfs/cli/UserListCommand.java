package io.raftfs.cli;

import io.raftfs.client.FileSystemClient;
import io.raftfs.proto.UserInfo;
import io.vertx.core.json.JsonArray;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "list",
    description = "List the users with their access key ids and groups (never a secret).")
final class UserListCommand extends ClientCommand {
  @Option(names = "--json", description = "One JSON array of users.")
  boolean json;

  @Override
  void execute(FileSystemClient client) {
    List<UserInfo> users = client.listUsers();
    if (json) {
      JsonArray array = new JsonArray();
      users.forEach(user -> array.add(Views.json(user)));
      out().println(array.encodePrettily());
      return;
    }
    Table table = new Table(new String[] {"NAME", "ACCESS KEY ID", "GROUPS"});
    users.forEach(
        user ->
            table.add(
                user.getName(), user.getAccessKeyId(), String.join(",", user.getGroupsList())));
    table.print(out());
  }
}
