package io.raftfs.cli;

import io.raftfs.client.ContentSummary;
import io.raftfs.client.FileSystemClient;
import io.raftfs.proto.FileStatus;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "du",
    description = "Bytes under each entry of a directory: size, size with all replicas, path.")
final class DiskUsageCommand extends ClientCommand {
  @Parameters(arity = "0..*", paramLabel = "PATH", description = "Default: /")
  List<String> paths = List.of("/");

  @Option(
      names = {"-s", "--summary"},
      description = "One total per PATH.")
  boolean summary;

  @Option(names = "--json", description = "One JSON array of every line.")
  boolean json;

  @Override
  void execute(FileSystemClient client) {
    List<String> targets = new ArrayList<>();
    for (String path : paths) {
      if (summary) {
        targets.add(remote(path));
      } else {
        client.list(remote(path)).stream().map(FileStatus::getPath).forEach(targets::add);
      }
    }
    JsonArray array = new JsonArray();
    Table table = new Table(null, true, true);
    for (String target : targets) {
      ContentSummary usage = client.summarize(target);
      array.add(Views.json(target, usage));
      table.add(usage.length(), usage.replicatedLength(), target);
    }
    if (json) {
      out().println(array.encodePrettily());
    } else {
      table.print(out());
    }
  }
}
