package io.raftfs.meta.operation;

import io.raftfs.meta.namespace.NamespaceException;

/**
 * The block sizes this master accepts ({@code raftfs.master.block-size.min} and {@code .max}): tiny
 * blocks multiply the blocks of a file and with them every master's memory and the leader's
 * placement work. Checked on the leader only, before the log: an apply never reads a setting, so
 * masters configured apart cannot diverge.
 *
 * @param min smallest block size of a file, in bytes
 * @param max largest block size of a file, and most space one allocation may ask for per block
 */
public record BlockSizes(long min, long max) {
  public BlockSizes {
    if (min < 1 || max < min) {
      throw new IllegalArgumentException("block sizes " + min + ".." + max);
    }
  }

  /** A file's block size, at commit. */
  void checkFileBlockSize(String path, long blockSize) throws NamespaceException {
    if (blockSize < min || blockSize > max) {
      throw NamespaceException.invalidArgument(
          path, "block size must be " + min + ".." + max + " bytes, not " + blockSize);
    }
  }

  /**
   * The space an allocation asks for per replica: the length of the block about to be written,
   * which for a small file is far below the file's block size, so only the maximum applies.
   */
  void checkAllocationSize(String path, long blockSize) throws NamespaceException {
    if (blockSize < 1 || blockSize > max) {
      throw NamespaceException.invalidArgument(
          path, "block size must be 1.." + max + " bytes, not " + blockSize);
    }
  }
}
