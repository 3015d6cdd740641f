package io.raftfs.data.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What a data node has on disk, for assertions that nothing partial was left behind. */
public final class BlockFiles {
  private BlockFiles() {}

  /** Files under {@code dir/blocks} (data files and sidecars). */
  public static List<Path> blockFiles(Path dataDir) {
    return files(dataDir.resolve("blocks"));
  }

  /** Files under {@code dir/tmp}: uploads in progress or interrupted. */
  public static List<Path> tempFiles(Path dataDir) {
    return files(dataDir.resolve("tmp"));
  }

  private static List<Path> files(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    while (true) {
      try (Stream<Path> walk = Files.walk(dir)) {
        return walk.filter(Files::isRegularFile).toList();
      } catch (UncheckedIOException e) {
        if (!(e.getCause() instanceof NoSuchFileException)) {
          throw e;
        }
        // A file went away while we looked (a node cleaning up): look again.
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
