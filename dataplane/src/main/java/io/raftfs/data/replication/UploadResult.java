package io.raftfs.data.replication;

import io.raftfs.data.store.BlockEntry;
import java.util.List;

/** A block stored durably on every node of its chain, this node first. */
public record UploadResult(BlockEntry block, List<String> replicas) {}
