package io.raftfs.client.transfer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Temporary files of transfers in progress. Whatever is still tracked when the JVM shuts down (e.g.
 * on Ctrl-C) is deleted, so an interrupted put or get leaves no litter behind.
 */
public final class TempFiles {
  private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(TempFiles::deleteAll, "raftfs-temp-cleanup"));
  }

  private TempFiles() {}

  /** Deletes {@code file} at shutdown unless {@link #delete} came first. */
  public static Path track(Path file) {
    LIVE.add(file);
    return file;
  }

  /** Deletes the file if it is still there (a renamed one is not) and stops tracking it. */
  public static void delete(Path file) throws IOException {
    Files.deleteIfExists(file);
    LIVE.remove(file);
  }

  private static void deleteAll() {
    for (Path file : LIVE) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // Best effort while the JVM goes down.
      }
    }
  }
}
