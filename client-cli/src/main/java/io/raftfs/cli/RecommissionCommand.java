package io.raftfs.cli;

import io.raftfs.client.FileSystemClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "recommission",
    description = {
      "Return a decommissioning or decommissioned data node to service: it gets new blocks",
      "again and its replicas count again. 'raftfs cluster status' shows IN_SERVICE."
    })
final class RecommissionCommand extends ClientCommand {
  @Parameters(paramLabel = "NODE-ID", description = "The data node's id (see cluster status).")
  String nodeId;

  @Override
  void execute(FileSystemClient client) {
    client.recommission(nodeId);
    out().println(nodeId + ": in service");
  }
}
