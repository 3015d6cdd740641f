package io.raftfs.cli;

import io.raftfs.client.ContentSummary;
import io.raftfs.proto.ClusterStatus;
import io.raftfs.proto.DataNodeStatus;
import io.raftfs.proto.FileStatus;
import io.raftfs.proto.MasterStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** How results look: the JSON of {@code --json} and the text columns. */
final class Views {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

  private Views() {}

  static JsonObject json(FileStatus status) {
    JsonObject json =
        new JsonObject()
            .put("path", status.getPath())
            .put("type", status.getDirectory() ? "directory" : "file")
            .put("modified", Instant.ofEpochMilli(status.getMtimeMillis()).toString());
    if (status.getDirectory()) {
      return json.put("entries", status.getChildren());
    }
    return json.put("length", status.getLength())
        .put("replication", status.getReplication())
        .put("blockSize", status.getBlockSize())
        .put("blocks", status.getChildren());
  }

  static JsonObject json(String path, ContentSummary summary) {
    return new JsonObject()
        .put("path", path)
        .put("length", summary.length())
        .put("replicatedLength", summary.replicatedLength())
        .put("files", summary.files())
        .put("directories", summary.directories());
  }

  static JsonObject json(ClusterStatus cluster) {
    JsonArray masters = new JsonArray();
    for (MasterStatus m : cluster.getMastersList()) {
      masters.add(
          new JsonObject()
              .put("id", m.getId())
              .put("role", m.getRole())
              .put("term", m.getTerm())
              .put("commitIndex", m.getCommitIndex())
              .put("appliedIndex", m.getAppliedIndex())
              .put("httpAddress", m.getHttpAddress())
              .put("raftAddress", m.getRaftAddress()));
    }
    JsonArray dataNodes = new JsonArray();
    for (DataNodeStatus d : cluster.getDataNodesList()) {
      dataNodes.add(
          new JsonObject()
              .put("nodeId", d.getNodeId())
              .put("httpAddress", d.getHttpAddress())
              .put("alive", d.getAlive())
              .put("capacityBytes", d.getCapacityBytes())
              .put("usedBytes", d.getUsedBytes())
              .put("freeBytes", d.getFreeBytes())
              .put("blockCount", d.getBlockCount())
              .put("lastHeartbeatMillis", d.getLastHeartbeatMillis()));
    }
    return new JsonObject()
        .put("leaderId", cluster.getLeaderId())
        .put("masters", masters)
        .put("dataNodes", dataNodes)
        .put("files", cluster.getFiles())
        .put("directories", cluster.getDirectories())
        .put("blocks", cluster.getBlocks())
        .put("bytes", cluster.getBytes());
  }

  /** {@code ls -l}: type, replication, length, modification time, path. */
  static Object[] longRow(FileStatus status) {
    boolean dir = status.getDirectory();
    return new Object[] {
      dir ? "d" : "-",
      dir ? "-" : status.getReplication(),
      dir ? "-" : status.getLength(),
      time(status.getMtimeMillis()),
      status.getPath()
    };
  }

  static String time(long epochMillis) {
    return TIME.format(Instant.ofEpochMilli(epochMillis));
  }
}
