package io.raftfs.meta.repair;

import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * Blocks that no file uses any more, handed from the state machine (as it applies deletes and
 * overwrites) to the {@link ReplicationMonitor}, which deletes their replicas on its next pass
 * instead of after the orphan grace period. Made before both, so neither waits for the other.
 */
public final class ReleasedBlocks implements Consumer<List<Long>> {
  private final Queue<Long> blocks = new ConcurrentLinkedQueue<>();

  @Override
  public void accept(List<Long> blockIds) {
    blocks.addAll(blockIds);
  }

  boolean isEmpty() {
    return blocks.isEmpty();
  }

  void clear() {
    blocks.clear();
  }

  /** Every block released since the last call. */
  Set<Long> drain() {
    Set<Long> drained = new HashSet<>();
    for (Long id = blocks.poll(); id != null; id = blocks.poll()) {
      drained.add(id);
    }
    return drained;
  }
}
