package io.raftfs.client;

import io.raftfs.protocol.DataNodeProtocol;

/**
 * How a put writes its file.
 *
 * @param replication copies of every block (1..)
 * @param blockSize bytes per block except the last, at most {@link
 *     DataNodeProtocol#MAX_BLOCK_BYTES}
 * @param overwrite replace an existing file instead of failing
 */
public record PutOptions(int replication, long blockSize, boolean overwrite) {

  public static final int DEFAULT_REPLICATION = 3;
  public static final long DEFAULT_BLOCK_SIZE = 64L << 20;

  public PutOptions {
    if (replication < 1) {
      throw new IllegalArgumentException("replication must be at least 1: " + replication);
    }
    if (blockSize < 1 || blockSize > DataNodeProtocol.MAX_BLOCK_BYTES) {
      // Longer blocks would be refused by data nodes and masters, after the first upload.
      throw new IllegalArgumentException(
          "block size must be 1.." + DataNodeProtocol.MAX_BLOCK_BYTES + " bytes: " + blockSize);
    }
  }

  public static PutOptions defaults() {
    return new PutOptions(DEFAULT_REPLICATION, DEFAULT_BLOCK_SIZE, false);
  }
}
