package io.raftfs.data.store;

/** Told after a block is durably stored or removed; called on the thread that did it. */
public interface BlockStoreListener {
  void blockAdded(BlockEntry block);

  void blockRemoved(long blockId);
}
