package io.raftfs.cli;

import io.raftfs.client.FileSystemClient;
import io.raftfs.proto.FileStatus;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "stat", description = "Show what the masters know about a file or directory.")
final class StatCommand extends ClientCommand {
  @Parameters(arity = "1..*", paramLabel = "PATH")
  List<String> paths;

  @Option(names = "--json", description = "JSON, one object per path.")
  boolean json;

  @Override
  void execute(FileSystemClient client) {
    for (String path : paths) {
      FileStatus status = client.stat(remote(path));
      if (json) {
        out().println(Views.json(status).encodePrettily());
        continue;
      }
      Table table = new Table(null);
      table.add("Path:", status.getPath());
      if (status.getDirectory()) {
        table.add("Type:", "directory").add("Entries:", status.getChildren());
      } else {
        table
            .add("Type:", "file")
            .add("Size:", status.getLength() + " (" + Sizes.format(status.getLength()) + ")")
            .add("Replication:", status.getReplication())
            .add("Block size:", Sizes.format(status.getBlockSize()))
            .add("Blocks:", status.getChildren());
      }
      table
          .add("Owner:", status.getOwner())
          .add("Group:", status.getGroup())
          .add(
              "Permission:",
              String.format("%04o", status.getPermission())
                  + " ("
                  + FileMode.format(status.getPermission(), status.getDirectory())
                  + ")")
          .add("Modified:", Views.time(status.getMtimeMillis()));
      table.print(out());
    }
  }
}
