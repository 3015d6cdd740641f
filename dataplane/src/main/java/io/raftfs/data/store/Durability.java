package io.raftfs.data.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** fsync of files and directories, and crash-safe small-file writes. Blocking: call on a worker. */
public final class Durability {
  private Durability() {}

  public static void forceFile(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  /** Makes the directory's entries (a rename, a new file) survive a crash. */
  public static void forceDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /** Creates {@code file} (it must not exist), writes all of {@code content} and fsyncs it. */
  public static void writeNewFile(Path file, ByteBuffer content) throws IOException {
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      while (content.hasRemaining()) {
        channel.write(content);
      }
      channel.force(true);
    }
  }

  /**
   * Writes {@code content} to {@code target} so that a crash leaves the old file or the new one.
   */
  public static void writeAtomically(Path target, ByteBuffer content) throws IOException {
    Path temp = target.resolveSibling(target.getFileName() + ".tmp");
    try (FileChannel channel =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      while (content.hasRemaining()) {
        channel.write(content);
      }
      channel.force(true);
    }
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    forceDirectory(target.getParent());
  }
}
