package io.raftfs.s3;

import io.raftfs.client.meta.MetaClient;
import io.raftfs.proto.FileStatus;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The objects of a bucket under a key prefix, in S3's key order, after a marker: a depth-first walk
 * of the bucket's directories in which each directory's entries come in key order ({@link
 * ChildrenInKeyOrder}), so the walk yields keys sorted by their full text, reading from the masters
 * only about as many entries as it yields.
 */
final class KeyWalk {
  private final MetaClient meta;
  private final String bucket;
  private final int pageSize;
  private final boolean descend;

  /** The directories being read, innermost first. */
  private final Deque<Level> levels = new ArrayDeque<>();

  /**
   * A directory being read: its key prefix ("" or ending in {@code /}), the listing's marker
   * relative to it (empty unless the marker lies inside it) and its entries still to come.
   */
  private record Level(String keyPrefix, String marker, ChildrenInKeyOrder children) {}

  /** One object, or (from {@link #oneLevel}) a directory named by its key prefix. */
  record Entry(String key, FileStatus status) {}

  private KeyWalk(MetaClient meta, String bucket, int pageSize, boolean descend) {
    this.meta = meta;
    this.bucket = bucket;
    this.pageSize = pageSize;
    this.descend = descend;
  }

  /** Every object whose key starts with {@code prefix} and sorts after {@code marker}. */
  static KeyWalk deep(MetaClient meta, String bucket, String prefix, String marker, int pageSize) {
    KeyWalk walk = new KeyWalk(meta, bucket, pageSize, true);
    walk.start(prefix, marker);
    return walk;
  }

  /**
   * The entries of the prefix's directory only (the delimiter {@code /}): its objects that start
   * with the prefix and sort after {@code marker}, and its directories, each as its key prefix
   * (ending in {@code /}), that sort after {@code marker}.
   */
  static KeyWalk oneLevel(
      MetaClient meta, String bucket, String prefix, String marker, int pageSize) {
    KeyWalk walk = new KeyWalk(meta, bucket, pageSize, false);
    walk.start(prefix, marker);
    return walk;
  }

  private void start(String prefix, String marker) {
    int slash = prefix.lastIndexOf('/');
    String directory = prefix.substring(0, slash + 1);
    // Keys have no empty segment: a prefix that starts with / or holds // matches none.
    if (directory.startsWith("/") || directory.contains("//")) {
      return;
    }
    String relative;
    if (marker.startsWith(directory)) {
      relative = marker.substring(directory.length());
    } else if (marker.compareTo(directory) < 0) {
      relative = "";
    } else {
      return; // the marker is past every key in the directory
    }
    levels.push(
        new Level(
            directory,
            relative,
            new ChildrenInKeyOrder(
                meta, pathOf(directory), relative, prefix.substring(slash + 1), pageSize)));
  }

  /** The next entry, or null when there are no more. */
  Entry next() {
    while (!levels.isEmpty()) {
      Level level = levels.peek();
      if (!level.children.hasNext()) {
        levels.pop();
        continue;
      }
      FileStatus child = level.children.next();
      String name = ChildrenInKeyOrder.keyOrderName(child);
      String key = level.keyPrefix + name;
      if (!child.getDirectory()) {
        return new Entry(key, child);
      }
      if (!descend) {
        // The directory is one common prefix: after the marker, or not at all.
        if (name.compareTo(level.marker) > 0) {
          return new Entry(key, child);
        }
      } else if (child.getChildren() > 0) {
        String inside = level.marker.startsWith(name) ? level.marker.substring(name.length()) : "";
        levels.push(
            new Level(
                key, inside, new ChildrenInKeyOrder(meta, pathOf(key), inside, "", pageSize)));
      }
    }
    return null;
  }

  private String pathOf(String directoryKey) {
    String path = "/" + bucket;
    return directoryKey.isEmpty()
        ? path
        : path + "/" + directoryKey.substring(0, directoryKey.length() - 1);
  }
}
