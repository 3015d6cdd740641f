package io.raftfs.data.store;

import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * Space accounting. A write reserves its full length before its first byte is written, so two
 * concurrent writes can never both squeeze into the last free bytes.
 *
 * <p>Free space is the smaller of what the configured capacity leaves and what the disk has above
 * the reserve, minus writes in progress. (The disk figure already shrinks as in-progress temp files
 * grow, so this errs on the safe side.)
 */
final class CapacityTracker {
  private final OptionalLong configuredCapacity;
  private final long reserveBytes;
  private final LongSupplier diskUsableBytes;
  private long usedBytes;
  private long blockCount;
  private long reservedBytes;
  private int activeWrites;

  CapacityTracker(OptionalLong configuredCapacity, long reserveBytes, LongSupplier diskUsable) {
    this.configuredCapacity = configuredCapacity;
    this.reserveBytes = reserveBytes;
    this.diskUsableBytes = diskUsable;
  }

  synchronized void reserve(long length) throws InsufficientSpaceException {
    long free = free();
    if (length > free) {
      throw new InsufficientSpaceException(
          "not enough space: block needs "
              + length
              + " bytes, "
              + free
              + " free above the "
              + reserveBytes
              + "-byte reserve");
    }
    reservedBytes += length;
    activeWrites++;
  }

  /** An upload ended without storing its block. */
  synchronized void release(long length) {
    reservedBytes -= length;
    activeWrites--;
  }

  /** An upload stored its block. */
  synchronized void commit(long length) {
    release(length);
    added(length);
  }

  synchronized void added(long length) {
    usedBytes += length;
    blockCount++;
  }

  synchronized void removed(long length) {
    usedBytes -= length;
    blockCount--;
  }

  synchronized StoreStats stats() {
    return new StoreStats(capacity(), usedBytes, free(), blockCount, activeWrites);
  }

  private long capacity() {
    return configuredCapacity.orElseGet(() -> usedBytes + diskUsableBytes.getAsLong());
  }

  private long free() {
    long byCapacity = capacity() - usedBytes;
    long byDisk = diskUsableBytes.getAsLong() - reserveBytes;
    return Math.max(0, Math.min(byCapacity, byDisk) - reservedBytes);
  }
}
