package io.raftfs.cli;

import io.raftfs.client.FileSystemClient;
import io.raftfs.proto.FileStatus;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.BiConsumer;

/**
 * The walk of {@code chmod -R} and {@code chown -R}, done by the client as HDFS's FsShell does:
 * each entry is changed by its own call, a directory before what it holds (so a chmod that grants
 * {@code r+x} lets the walk list it).
 */
final class TreeWalk {
  private TreeWalk() {}

  static void walk(
      FileSystemClient client,
      String path,
      boolean recursive,
      BiConsumer<FileSystemClient, FileStatus> visit) {
    // An explicit stack: a tree may be 2,048 levels deep.
    Deque<FileStatus> pending = new ArrayDeque<>();
    pending.push(client.stat(path));
    while (!pending.isEmpty()) {
      FileStatus entry = pending.pop();
      visit.accept(client, entry);
      if (recursive && entry.getDirectory()) {
        client.list(entry.getPath()).forEach(pending::push);
      }
    }
  }
}
