package io.raftfs.data.master;

import io.raftfs.data.store.BlockEntry;
import java.util.Collection;

/** What block reports are made of. */
interface ReportSource {
  String nodeId();

  Collection<BlockEntry> storedBlocks();
}
