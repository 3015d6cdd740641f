package io.raftfs.meta.namespace;

import java.nio.charset.StandardCharsets;

/** A name in the tree. Kept small: the namespace holds millions of these in memory. */
abstract sealed class INode permits DirectoryNode, FileNode {
  // UTF-8, as HDFS's INode keeps it: a String would add a 24-byte object to every entry. Names
  // come from protobuf strings, which are valid Unicode, so the bytes give the name back exactly.
  // Changes only on rename, while the node is out of its parent's children.
  private byte[] name;
  long mtimeMillis;
  // Shared with every entry of the same owner and group (Namespace interns them).
  Owners owners;
  // POSIX mode bits (Permissions); a short keeps the object within its 8-byte alignment.
  short mode;

  INode(String name, long mtimeMillis, Owners owners, int mode) {
    this.name = encode(name);
    this.mtimeMillis = mtimeMillis;
    this.owners = owners;
    this.mode = (short) mode;
  }

  abstract boolean isDirectory();

  /** The name, decoded: for paths and statuses, which leave the namespace. */
  final String name() {
    return new String(name, StandardCharsets.UTF_8);
  }

  final int nameBytes() {
    return name.length;
  }

  /** The name's UTF-8 bytes themselves: for lookups in the parent, never to be changed. */
  final byte[] encodedName() {
    return name;
  }

  final void rename(String newName) {
    name = encode(newName);
  }

  /**
   * This entry's name against an encoded one, in the order of {@link String#compareTo} on the
   * decoded names (UTF-16 code units), the order listings have always had.
   */
  final int compareName(byte[] other) {
    return NameOrder.compare(name, other);
  }

  static byte[] encode(String name) {
    return name.getBytes(StandardCharsets.UTF_8);
  }
}
