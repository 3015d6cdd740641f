package io.raftfs.meta.namespace;

/** A name in the tree. Kept small: the namespace holds millions of these in memory. */
abstract sealed class INode permits DirectoryNode, FileNode {
  // Changes only on rename, while the node is out of its parent's map.
  String name;
  long mtimeMillis;
  // Shared with every entry of the same owner and group (Namespace interns them).
  Owners owners;
  // POSIX mode bits (Permissions); a short keeps the object within its 8-byte alignment.
  short mode;

  INode(String name, long mtimeMillis, Owners owners, int mode) {
    this.name = name;
    this.mtimeMillis = mtimeMillis;
    this.owners = owners;
    this.mode = (short) mode;
  }

  abstract boolean isDirectory();
}
