package io.raftfs.data.store;

import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where a data node keeps its files.
 *
 * <pre>
 * dir/node-id                  this node's persistent id
 * dir/lock                     held while a data node runs on dir
 * dir/tmp/                     uploads in progress; emptied at start
 * dir/blocks/1f/0a/blk_ID      block data (two levels of 32 hash buckets)
 * dir/blocks/1f/0a/blk_ID.crc  its checksum sidecar ({@link SidecarFormat})
 * dir/packs/pack-SEQ-MARKER    small blocks, appended ({@link BlockPacks}, {@link PackFormat})
 * dir/corrupt/                 files found inconsistent at start, kept for inspection
 * dir/scrubber-pass            where the scrubber's current pass is (started, cursor)
 * </pre>
 *
 * <p>Hash buckets keep directories small; the hash spreads consecutive ids, which the masters
 * allocate in runs.
 */
public final class BlockLayout {
  static final String DATA_PREFIX = "blk_";
  static final String SIDECAR_SUFFIX = ".crc";

  private final Path root;
  private final AtomicLong tempSequence = new AtomicLong(System.nanoTime());

  public BlockLayout(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  public Path nodeIdFile() {
    return root.resolve("node-id");
  }

  public Path lockFile() {
    return root.resolve("lock");
  }

  public Path tempDir() {
    return root.resolve("tmp");
  }

  public Path blocksDir() {
    return root.resolve("blocks");
  }

  public Path packsDir() {
    return root.resolve("packs");
  }

  public Path scrubberPassFile() {
    return root.resolve("scrubber-pass");
  }

  public Path corruptDir() {
    return root.resolve("corrupt");
  }

  private static final int BUCKETS_PER_LEVEL = 32;

  public Path bucket(long blockId) {
    long h = blockId * 0x9E3779B97F4A7C15L;
    return bucket((int) (h >>> 59), (int) ((h >>> 54) & 0x1f));
  }

  private Path bucket(int outer, int inner) {
    return blocksDir().resolve(HEX[outer]).resolve(HEX[inner]);
  }

  private static final String[] HEX = new String[BUCKETS_PER_LEVEL];

  static {
    for (int i = 0; i < BUCKETS_PER_LEVEL; i++) {
      HEX[i] = String.format("%02x", i);
    }
  }

  public Path dataFile(long blockId) {
    return bucket(blockId).resolve(DATA_PREFIX + BlockId.format(blockId));
  }

  public Path sidecarFile(long blockId) {
    return bucket(blockId).resolve(DATA_PREFIX + BlockId.format(blockId) + SIDECAR_SUFFIX);
  }

  /** A fresh temp name; never reused, so a leftover from an old upload cannot collide. */
  public Path newTempFile(long blockId) {
    return tempDir()
        .resolve(DATA_PREFIX + BlockId.format(blockId) + "." + tempSequence.incrementAndGet());
  }

  /** The block id named by a data file name, empty if it is not a data file name. */
  static OptionalLong blockIdOfDataFile(String fileName) {
    if (!fileName.startsWith(DATA_PREFIX)) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(BlockId.parse(fileName.substring(DATA_PREFIX.length())));
    } catch (IllegalArgumentException e) {
      return OptionalLong.empty();
    }
  }
}
