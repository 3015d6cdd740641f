package io.raftfs.data.testing;

import io.raftfs.data.store.BlockLayout;
import io.raftfs.data.store.BlockPacks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** What a data node has on disk, for assertions that nothing partial was left behind. */
public final class BlockFiles {
  private BlockFiles() {}

  /**
   * What holds block data on disk: the files under {@code dir/blocks} (data files and sidecars),
   * and one {@code pack-SEQ@OFFSET} per packed block no tombstone hides.
   */
  public static List<Path> blockFiles(Path dataDir) {
    List<Path> all = new ArrayList<>(files(dataDir.resolve("blocks")));
    all.addAll(packedBlocks(dataDir).values());
    return all;
  }

  /** Whether the disk holds the block: its data file, or a packed copy no tombstone hides. */
  public static boolean holds(Path dataDir, long blockId) {
    return Files.exists(new BlockLayout(dataDir).dataFile(blockId))
        || packedBlocks(dataDir).containsKey(blockId);
  }

  private static Map<Long, Path> packedBlocks(Path dataDir) {
    Map<Long, Path> packed = new LinkedHashMap<>();
    try {
      for (BlockPacks.Record record : BlockPacks.records(dataDir.resolve("packs"))) {
        if (record.header().isBlock()) {
          packed.put(
              record.header().blockId(),
              record.file().resolveSibling(record.file().getFileName() + "@" + record.offset()));
        } else {
          packed.remove(record.header().blockId());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return packed;
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
