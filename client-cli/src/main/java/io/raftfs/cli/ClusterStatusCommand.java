package io.raftfs.cli;

import io.raftfs.client.FileSystemClient;
import io.raftfs.client.meta.ClusterStatusJson;
import io.raftfs.client.meta.MetaException;
import io.raftfs.proto.ClusterStatus;
import io.raftfs.proto.DataNodeStatus;
import io.raftfs.proto.GatewayStatus;
import io.raftfs.proto.MasterStatus;
import java.io.PrintWriter;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "status",
    description = {
      "Show the masters (role, term, commit and applied index) and the data nodes",
      "(alive, admin state, blocks still to drain, used, free, blocks), and the leader's",
      "last repair scan, as the leader sees them."
    })
final class ClusterStatusCommand extends ClientCommand {
  @Option(names = "--watch", description = "Refresh every second until interrupted.")
  boolean watch;

  @Option(names = "--json", description = "JSON.")
  boolean json;

  @Override
  void execute(FileSystemClient client) throws InterruptedException {
    if (!watch) {
      show(client.clusterStatus());
      return;
    }
    while (true) {
      ClusterStatus status = null;
      String problem = null;
      try {
        status = client.clusterStatus();
      } catch (MetaException e) {
        problem = e.getMessage();
      }
      if (root().terminal.interactive() && !json) {
        out().print("\033[H\033[2J");
      }
      out().println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS));
      if (status != null) {
        show(status);
      } else {
        out().println("no answer from a leader: " + problem);
      }
      out().flush();
      Thread.sleep(1000);
    }
  }

  private void show(ClusterStatus status) {
    PrintWriter out = out();
    if (json) {
      // The same JSON as a master's GET /api/cluster (docs/cluster-status-json.md).
      out.println(ClusterStatusJson.print(status));
      return;
    }
    out.println("Leader: " + (status.getLeaderId().isEmpty() ? "none" : status.getLeaderId()));
    out.println();
    Table masters =
        new Table(
            new String[] {"MASTER", "ROLE", "TERM", "COMMIT", "APPLIED", "HTTP"},
            false,
            false,
            true,
            true,
            true);
    // The cluster page speaks what the masters speak, which is what this client speaks to them.
    String scheme = root().clientConfig().tls().isPresent() ? "https://" : "http://";
    for (MasterStatus m : status.getMastersList()) {
      masters.add(
          m.getId(),
          m.getRole(),
          m.getTerm(),
          m.getCommitIndex(),
          m.getAppliedIndex(),
          scheme + m.getHttpAddress() + "/");
    }
    masters.print(out);
    out.println();
    Table nodes =
        new Table(
            new String[] {
              "DATA NODE", "ALIVE", "STATE", "TO DRAIN", "USED", "FREE", "BLOCKS", "HTTP"
            },
            false,
            false,
            false,
            true,
            true,
            true,
            true);
    for (DataNodeStatus d : status.getDataNodesList()) {
      nodes.add(
          d.getNodeId(),
          d.getAlive() ? "yes" : "NO",
          d.getAdminState().isEmpty() ? "IN_SERVICE" : d.getAdminState(),
          d.getAdminState().startsWith("DECOMMISSION") ? d.getBlocksToDrain() : "-",
          Sizes.format(d.getUsedBytes()),
          Sizes.format(d.getFreeBytes()),
          d.getBlockCount(),
          d.getHttpAddress());
    }
    nodes.print(out);
    out.println();
    // Gateways report to the leader: a follower's answer lists none.
    if (status.getGatewaysCount() > 0) {
      Table gateways =
          new Table(
              new String[] {"S3 GATEWAY", "VERSION", "USER", "LAST SEEN"},
              false,
              false,
              false,
              true);
      for (GatewayStatus g : status.getGatewaysList()) {
        gateways.add(
            (g.getTls() ? "https://" : "http://") + g.getAddress() + "/",
            g.getVersion(),
            g.getUser(),
            Math.max(0, status.getTimeMillis() - g.getLastSeenMillis()) / 1000 + " s ago");
      }
      gateways.print(out);
      out.println();
    }
    out.printf(
        "Files: %d  Directories: %d  Blocks: %d  Bytes: %s%n",
        status.getFiles(),
        status.getDirectories(),
        status.getBlocks(),
        Sizes.format(status.getBytes()));
    out.printf(
        "Repair: under-replicated %d  missing %d  corrupt replicas %d  copies in flight %d%n",
        status.getUnderReplicatedBlocks(),
        status.getMissingBlocks(),
        status.getCorruptReplicas(),
        status.getPendingCopies());
  }
}
