package io.raftfs.data.store;

/**
 * What the index knows about one stored block.
 *
 * @param crc32c CRC32C of the whole block as an unsigned 32-bit value
 */
public record BlockEntry(long blockId, long length, long crc32c) {}
