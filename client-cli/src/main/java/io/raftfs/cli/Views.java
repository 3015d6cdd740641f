package io.raftfs.cli;

import io.raftfs.client.ContentSummary;
import io.raftfs.proto.FileStatus;
import io.raftfs.proto.UserInfo;
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
            .put("modified", Instant.ofEpochMilli(status.getMtimeMillis()).toString())
            .put("owner", status.getOwner())
            .put("group", status.getGroup())
            .put("permission", String.format("%04o", status.getPermission()));
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

  /** {@code ls -l}: type and mode, owner, group, replication, length, modification time, path. */
  static Object[] longRow(FileStatus status) {
    boolean dir = status.getDirectory();
    return new Object[] {
      FileMode.format(status.getPermission(), dir),
      status.getOwner(),
      status.getGroup(),
      dir ? "-" : status.getReplication(),
      dir ? "-" : status.getLength(),
      time(status.getMtimeMillis()),
      status.getPath()
    };
  }

  /** The JSON of {@code --json}: the secret only when the answer has one. */
  static JsonObject json(UserInfo user) {
    JsonObject json =
        new JsonObject()
            .put("name", user.getName())
            .put("accessKeyId", user.getAccessKeyId())
            .put("groups", new JsonArray(user.getGroupsList()));
    return user.getSecretKey().isEmpty() ? json : json.put("secretKey", user.getSecretKey());
  }

  /** The key of a new user or a rotated key, for people: shown once, never again. */
  static Table userKey(UserInfo user) {
    return new Table(null)
        .add("User:", user.getName())
        .add("Groups:", String.join(",", user.getGroupsList()))
        .add("Access key id:", user.getAccessKeyId())
        .add("Secret key:", user.getSecretKey())
        .add("", "(shown only now: give it to the user as RAFTFS_ACCESS_KEY/RAFTFS_SECRET_KEY)");
  }

  static String time(long epochMillis) {
    return TIME.format(Instant.ofEpochMilli(epochMillis));
  }
}
