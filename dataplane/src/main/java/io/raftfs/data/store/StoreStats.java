package io.raftfs.data.store;

/** A consistent view of the store's space accounting. */
public record StoreStats(
    long capacityBytes, long usedBytes, long freeBytes, long blockCount, int activeWrites) {}
