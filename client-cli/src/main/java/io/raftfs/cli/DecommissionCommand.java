package io.raftfs.cli;

import io.raftfs.client.FileSystemClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "decommission",
    description = {
      "Drain a data node: it gets no new blocks, and every block it holds is copied to other",
      "nodes until no file needs it. 'raftfs cluster status' shows DECOMMISSIONING with the",
      "blocks still to copy, then DECOMMISSIONED: the node can be stopped."
    })
final class DecommissionCommand extends ClientCommand {
  @Parameters(paramLabel = "NODE-ID", description = "The data node's id (see cluster status).")
  String nodeId;

  @Override
  void execute(FileSystemClient client) {
    client.decommission(nodeId);
    out().println(nodeId + ": decommissioning; watch it with 'raftfs cluster status'");
  }
}
