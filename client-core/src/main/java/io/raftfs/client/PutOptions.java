package io.raftfs.client;

import static io.raftfs.protocol.MetaLimits.MAX_BLOCK_SIZE;
import static io.raftfs.protocol.MetaLimits.MAX_REPLICATION;
import static io.raftfs.protocol.MetaLimits.MIN_BLOCK_SIZE;
import static io.raftfs.protocol.MetaLimits.MIN_REPLICATION;

/**
 * How a put writes its file. Values no master accepts are refused here, before anything is sent; a
 * master may refuse more (its {@code raftfs.master.block-size.min} and {@code .max}).
 *
 * @param replication copies of every block ({@value io.raftfs.protocol.MetaLimits#MIN_REPLICATION}
 *     to {@value io.raftfs.protocol.MetaLimits#MAX_REPLICATION})
 * @param blockSize bytes per block except the last (64 KiB to 4 GiB - 1)
 * @param overwrite replace an existing file instead of failing
 */
public record PutOptions(int replication, long blockSize, boolean overwrite) {

  public static final int DEFAULT_REPLICATION = 3;
  public static final long DEFAULT_BLOCK_SIZE = 64L << 20;

  public PutOptions {
    if (replication < MIN_REPLICATION || replication > MAX_REPLICATION) {
      throw new IllegalArgumentException(
          "replication must be "
              + MIN_REPLICATION
              + ".."
              + MAX_REPLICATION
              + ", not "
              + replication);
    }
    if (blockSize < MIN_BLOCK_SIZE || blockSize > MAX_BLOCK_SIZE) {
      throw new IllegalArgumentException(
          "block size must be "
              + MIN_BLOCK_SIZE
              + ".."
              + MAX_BLOCK_SIZE
              + " bytes, not "
              + blockSize);
    }
  }

  public static PutOptions defaults() {
    return new PutOptions(DEFAULT_REPLICATION, DEFAULT_BLOCK_SIZE, false);
  }
}
