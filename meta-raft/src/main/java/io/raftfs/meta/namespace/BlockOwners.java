package io.raftfs.meta.namespace;

/**
 * Every committed block id and the file holding it, in two parallel arrays with open addressing
 * (linear probing). A {@code HashMap<Long, FileNode>} paid a 32-byte entry and a 24-byte boxed
 * {@code Long} per block beside its table; this pays 12 bytes a slot, 16 to 32 per block as the
 * table is 3/4 to 3/8 full. Not thread-safe, like the {@link Namespace} that owns it.
 */
final class BlockOwners {
  // Doubles past 3/4 full: probe runs stay short.
  private static final int MAX_LOAD_PERCENT = 75;
  private static final int INITIAL_CAPACITY = 1 << 10;
  private static final int RUN_BITS = 4;
  private static final int RUN = 1 << RUN_BITS;

  private long[] ids = new long[INITIAL_CAPACITY];
  // Null marks a free slot: every id, 0 and negative ones too, can be a key.
  private FileNode[] files = new FileNode[INITIAL_CAPACITY];
  private int size;

  FileNode get(long blockId) {
    int mask = ids.length - 1;
    for (int slot = slot(blockId, mask); files[slot] != null; slot = (slot + 1) & mask) {
      if (ids[slot] == blockId) {
        return files[slot];
      }
    }
    return null;
  }

  boolean contains(long blockId) {
    return get(blockId) != null;
  }

  /** Maps {@code blockId} to {@code file}, replacing the file it was mapped to. */
  void put(long blockId, FileNode file) {
    if ((size + 1) * 100L > (long) ids.length * MAX_LOAD_PERCENT) {
      resize(ids.length * 2);
    }
    int mask = ids.length - 1;
    int slot = slot(blockId, mask);
    while (files[slot] != null) {
      if (ids[slot] == blockId) {
        files[slot] = file;
        return;
      }
      slot = (slot + 1) & mask;
    }
    ids[slot] = blockId;
    files[slot] = file;
    size++;
  }

  /** Removes {@code blockId} if {@code file} holds it (another file's mapping stays). */
  void remove(long blockId, FileNode file) {
    int mask = ids.length - 1;
    int slot = slot(blockId, mask);
    while (files[slot] != null && ids[slot] != blockId) {
      slot = (slot + 1) & mask;
    }
    if (files[slot] != file) {
      return;
    }
    // Backward-shift deletion instead of tombstones: every later entry of the probe run that
    // could have sat in the freed slot moves into it, so lookups still stop at the first null.
    int free = slot;
    for (int next = (free + 1) & mask; files[next] != null; next = (next + 1) & mask) {
      int home = slot(ids[next], mask);
      // Whether home lies cyclically in (free, next]: if not, the entry may move back to free.
      boolean stays = free <= next ? free < home && home <= next : free < home || home <= next;
      if (!stays) {
        ids[free] = ids[next];
        files[free] = files[next];
        free = next;
      }
    }
    files[free] = null;
    size--;
  }

  /** Visits every block id with its file, in no particular order. */
  void forEach(Visitor visitor) {
    for (int slot = 0; slot < files.length; slot++) {
      if (files[slot] != null) {
        visitor.visit(ids[slot], files[slot]);
      }
    }
  }

  @FunctionalInterface
  interface Visitor {
    void visit(long blockId, FileNode file);
  }

  private void resize(int capacity) {
    long[] oldIds = ids;
    FileNode[] oldFiles = files;
    ids = new long[capacity];
    files = new FileNode[capacity];
    int mask = capacity - 1;
    for (int i = 0; i < oldFiles.length; i++) {
      if (oldFiles[i] != null) {
        int slot = slot(oldIds[i], mask);
        while (files[slot] != null) {
          slot = (slot + 1) & mask;
        }
        ids[slot] = oldIds[i];
        files[slot] = oldFiles[i];
      }
    }
  }

  /**
   * Ids come from consecutive ranges: runs of {@value #RUN} consecutive ids keep consecutive slots,
   * so a file's blocks, and files committed together, share cache lines as in a HashMap; the runs
   * are spread by Fibonacci hashing, so strided ids never pile up in one long probe run.
   */
  private static int slot(long blockId, int mask) {
    long mixed = (blockId >>> RUN_BITS) * 0x9E37_79B9_7F4A_7C15L;
    return (int) (((mixed ^ (mixed >>> 32)) << RUN_BITS) | (blockId & (RUN - 1))) & mask;
  }
}
