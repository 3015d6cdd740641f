package io.raftfs.meta.namespace;

import java.util.HashMap;
import java.util.Map;

final class DirectoryNode extends INode {
  // Created on the first child: most directories in large trees are leaves.
  private Map<String, INode> children;

  DirectoryNode(String name, long mtimeMillis, Owners owners, int mode) {
    super(name, mtimeMillis, owners, mode);
  }

  @Override
  boolean isDirectory() {
    return true;
  }

  INode child(String childName) {
    return children == null ? null : children.get(childName);
  }

  void put(INode child) {
    if (children == null) {
      children = new HashMap<>(4);
    }
    children.put(child.name, child);
  }

  void remove(String childName) {
    if (children != null) {
      children.remove(childName);
    }
  }

  int size() {
    return children == null ? 0 : children.size();
  }

  Iterable<INode> children() {
    return children == null ? java.util.List.of() : children.values();
  }
}
