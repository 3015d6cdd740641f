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

  /** The id in the data directory, or a new random one kept there. Blocking. */
  public static String loadOrCreate(BlockLayout layout) throws IOException {
    return loadOrAdopt(layout, "dn-" + UUID.randomUUID());
  }

  /**
   * The id in the data directory, or {@code fresh} (the one the node's certificate names) kept
   * there for a new directory. Blocking.
   */
  public static String loadOrAdopt(BlockLayout layout, String fresh) throws IOException {
    Path file = layout.nodeIdFile();
    if (Files.exists(file)) {
      String id = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (id.isEmpty()) {
        throw new IOException(file + " is empty; restore it or remove the data directory");
      }
      return id;
    }
    Durability.writeAtomically(file, ByteBuffer.wrap(fresh.getBytes(StandardCharsets.UTF_8)));
    return fresh;
  }
}
