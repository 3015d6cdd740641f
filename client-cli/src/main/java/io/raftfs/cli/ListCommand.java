package io.raftfs.cli;

import io.raftfs.client.FileSystemClient;
import io.raftfs.proto.FileStatus;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "ls",
    description = "List directories (their entries) and files (themselves), by full path.")
final class ListCommand extends ClientCommand {
  @Parameters(arity = "0..*", paramLabel = "PATH", description = "Default: /")
  List<String> paths = List.of("/");

  @Option(
      names = "-l",
      description = "Long format: type and mode, owner, group, replication, size, modified, path.")
  boolean longFormat;

  @Option(names = "-R", description = "List subdirectories recursively.")
  boolean recursive;

  @Option(names = "--json", description = "One JSON array of every entry.")
  boolean json;

  @Override
  void execute(FileSystemClient client) {
    List<FileStatus> entries = new ArrayList<>();
    for (String path : paths) {
      collect(client, remote(path), entries);
    }
    if (json) {
      JsonArray array = new JsonArray();
      entries.forEach(entry -> array.add(Views.json(entry)));
      out().println(array.encodePrettily());
    } else if (longFormat) {
      Table table = new Table(null, false, true, true);
      entries.forEach(entry -> table.add(Views.longRow(entry)));
      table.print(out());
    } else {
      entries.forEach(entry -> out().println(entry.getPath()));
    }
  }

  private void collect(FileSystemClient client, String path, List<FileStatus> entries) {
    for (FileStatus entry : client.list(path)) {
      entries.add(entry);
      if (recursive && entry.getDirectory()) {
        collect(client, entry.getPath(), entries);
      }
    }
  }
}
