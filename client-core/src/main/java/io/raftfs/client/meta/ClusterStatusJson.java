package io.raftfs.client.meta;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.raftfs.proto.ClusterStatus;

/**
 * The one JSON form of {@link ClusterStatus}: what {@code GET /api/cluster} answers and {@code
 * raftfs cluster status --json} prints (protobuf's JSON mapping, lowerCamelCase names, every field
 * present, 64-bit integers as strings). Fields are listed in docs/cluster-status-json.md.
 */
public final class ClusterStatusJson {
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().alwaysPrintFieldsWithNoPresence();

  private ClusterStatusJson() {}

  public static String print(ClusterStatus status) {
    try {
      return PRINTER.print(status);
    } catch (InvalidProtocolBufferException e) {
      // Only messages with Any fields of unknown types fail, and ClusterStatus has none.
      throw new IllegalStateException("ClusterStatus has no JSON form", e);
    }
  }
}
