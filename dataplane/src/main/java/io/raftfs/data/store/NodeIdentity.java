package io.raftfs.data.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The node's id: created on first start and kept in the data directory, so a restarted node is the
 * same node to the masters (its blocks are still there).
 */
public final class NodeIdentity {
  private NodeIdentity() {}

  /** Blocking. */
  public static String loadOrCreate(BlockLayout layout) throws IOException {
    Path file = layout.nodeIdFile();
    if (Files.exists(file)) {
      String id = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (id.isEmpty()) {
        throw new IOException(file + " is empty; restore it or remove the data directory");
      }
      return id;
    }
    String id = "dn-" + UUID.randomUUID();
    Durability.writeAtomically(file, ByteBuffer.wrap(id.getBytes(StandardCharsets.UTF_8)));
    return id;
  }
}
