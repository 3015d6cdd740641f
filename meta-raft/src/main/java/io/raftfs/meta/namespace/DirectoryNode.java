package io.raftfs.meta.namespace;

import java.util.Arrays;
import java.util.List;

/**
 * A directory. Its children are an array sorted by name and found by binary search, as in HDFS's
 * NameNode: 4 bytes and some spare room a child, where a HashMap paid a 32-byte entry and a table
 * slot. Listings come out in name order without sorting. Inserting in the middle moves the names
 * after it; new names mostly sort last (sequence numbers, timestamps), which moves none.
 */
final class DirectoryNode extends INode {
  private static final INode[] NONE = new INode[0];
  private static final int FIRST_CAPACITY = 4;

  // Sorted by name (NameOrder: String.compareTo's, the order listings have always had); the
  // first size slots are used. Created on the first child: most directories are leaves.
  private INode[] children = NONE;
  private int size;

  DirectoryNode(String name, long mtimeMillis, Owners owners, int mode) {
    super(name, mtimeMillis, owners, mode);
  }

  @Override
  boolean isDirectory() {
    return true;
  }

  INode child(String childName) {
    int index = indexOf(INode.encode(childName));
    return index >= 0 ? children[index] : null;
  }

  /** Adds {@code child}, replacing the child of the same name if there is one. */
  void put(INode child) {
    int index = indexOf(child.encodedName());
    if (index >= 0) {
      children[index] = child;
      return;
    }
    int at = -index - 1;
    if (size == children.length) {
      // Half again, as an ArrayList grows: at most a third of the slots stand empty.
      children = Arrays.copyOf(children, Math.max(FIRST_CAPACITY, size + (size >> 1)));
    }
    System.arraycopy(children, at, children, at + 1, size - at);
    children[at] = child;
    size++;
  }

  /** Removes {@code child}, found by its name. */
  void remove(INode child) {
    int index = indexOf(child.encodedName());
    if (index < 0) {
      return;
    }
    System.arraycopy(children, index + 1, children, index, size - index - 1);
    children[--size] = null;
    if (size == 0) {
      children = NONE;
    }
  }

  int size() {
    return size;
  }

  /** The children sorted by name; a live view, valid until the directory next changes. */
  List<INode> children() {
    return Arrays.asList(children).subList(0, size);
  }

  /** The children whose names sort after {@code name}, in name order. */
  List<INode> childrenAfter(String name) {
    int index = indexOf(INode.encode(name));
    int from = index >= 0 ? index + 1 : -index - 1;
    return children().subList(from, size);
  }

  /** Binary search: the child's index, or {@code -(insertion point) - 1} when there is none. */
  private int indexOf(byte[] childName) {
    int low = 0;
    int high = size - 1;
    while (low <= high) {
      int middle = (low + high) >>> 1;
      int order = children[middle].compareName(childName);
      if (order < 0) {
        low = middle + 1;
      } else if (order > 0) {
        high = middle - 1;
      } else {
        return middle;
      }
    }
    return -(low + 1);
  }
}
