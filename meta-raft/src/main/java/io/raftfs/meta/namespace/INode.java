package io.raftfs.meta.namespace;

/** A name in the tree. Kept small: the namespace holds millions of these in memory. */
abstract sealed class INode permits DirectoryNode, FileNode {
  // Changes only on rename, while the node is out of its parent's map.
  String name;
  long mtimeMillis;

  INode(String name, long mtimeMillis) {
    this.name = name;
    this.mtimeMillis = mtimeMillis;
  }

  abstract boolean isDirectory();
}
