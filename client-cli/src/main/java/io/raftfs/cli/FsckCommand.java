package io.raftfs.cli;

import io.raftfs.client.FileSystemClient;
import io.raftfs.proto.FsckBlock;
import io.raftfs.proto.FsckFile;
import io.raftfs.proto.FsckReport;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "fsck",
    description = {
      "Check that every block of every file under PATH has its live replicas, as the leader",
      "sees them, and list the files and blocks that do not. Exit 0 only when all are healthy,",
      "12 when some block is under-replicated or missing."
    })
final class FsckCommand extends ClientCommand {
  @Parameters(arity = "0..1", paramLabel = "PATH", description = "Default: /")
  String path = "/";

  @Option(names = "--json", description = "JSON.")
  boolean json;

  @Override
  void execute(FileSystemClient client) {
    String target = remote(path);
    FsckReport report = client.fsck(target);
    if (json) {
      out().println(json(target, report).encodePrettily());
    } else {
      print(target, report, out());
    }
    exit = report.getHealthy() ? ExitCode.OK : ExitCode.UNHEALTHY;
  }

  private static void print(String path, FsckReport report, PrintWriter out) {
    if (report.getUnhealthyFilesCount() > 0) {
      Table blocks =
          new Table(
              new String[] {"FILE", "BLOCK", "STATE", "LIVE", "EXPECTED", "CORRUPT"},
              false,
              true,
              false,
              true,
              true,
              true);
      for (FsckFile file : report.getUnhealthyFilesList()) {
        for (FsckBlock block : file.getBlocksList()) {
          if (!block.getState().equals("HEALTHY")) {
            blocks.add(
                file.getPath(),
                Long.toUnsignedString(block.getBlockId()),
                block.getState(),
                block.getLiveReplicas(),
                block.getExpectedReplicas(),
                block.getCorruptReplicas());
          }
        }
      }
      blocks.print(out);
      out.println();
    }
    out.printf(
        "%s: %s%nFiles: %d  Blocks: %d  Healthy: %d  Under-replicated: %d  Missing: %d"
            + "  Corrupt replicas: %d%n",
        path,
        report.getHealthy() ? "HEALTHY" : "UNHEALTHY",
        report.getFiles(),
        report.getBlocks(),
        report.getHealthyBlocks(),
        report.getUnderReplicatedBlocks(),
        report.getMissingBlocks(),
        report.getCorruptReplicas());
  }

  static JsonObject json(String path, FsckReport report) {
    JsonArray files = new JsonArray();
    for (FsckFile file : report.getUnhealthyFilesList()) {
      JsonArray blocks = new JsonArray();
      for (FsckBlock block : file.getBlocksList()) {
        blocks.add(
            new JsonObject()
                .put("blockId", block.getBlockId())
                .put("state", block.getState())
                .put("liveReplicas", block.getLiveReplicas())
                .put("expectedReplicas", block.getExpectedReplicas())
                .put("corruptReplicas", block.getCorruptReplicas()));
      }
      files.add(
          new JsonObject()
              .put("path", file.getPath())
              .put("length", file.getLength())
              .put("blocks", blocks));
    }
    return new JsonObject()
        .put("path", path)
        .put("healthy", report.getHealthy())
        .put("files", report.getFiles())
        .put("blocks", report.getBlocks())
        .put("healthyBlocks", report.getHealthyBlocks())
        .put("underReplicatedBlocks", report.getUnderReplicatedBlocks())
        .put("missingBlocks", report.getMissingBlocks())
        .put("corruptReplicas", report.getCorruptReplicas())
        .put("unhealthyFiles", files);
  }
}
