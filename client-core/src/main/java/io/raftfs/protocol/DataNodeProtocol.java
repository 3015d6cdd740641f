package io.raftfs.protocol;

/**
 * The data nodes' block protocol (docs/protocol.md) as both sides name it: paths, headers and the
 * size below which a block is packed.
 *
 * <pre>{@code
 * String uri = DataNodeProtocol.blockPath(42); // "/blocks/42"
 * long crc = DataNodeProtocol.parseCrc32c(response.header(DataNodeProtocol.CRC32C));
 * }</pre>
 */
public final class DataNodeProtocol {
  /** Every block is a resource below this path, named by its unsigned decimal id. */
  public static final String BLOCKS_PATH = "/blocks/";

  /** Unsigned decimal CRC32C of the whole block. */
  public static final String CRC32C = "X-Raftfs-Crc32c";

  /** Comma-separated host:port of the remaining downstream data nodes of a write. */
  public static final String PIPELINE = "X-Raftfs-Pipeline";

  /**
   * The block access token of a PUT, GET or HEAD (io.raftfs.auth.BlockTokens): issued by the
   * masters with each placement and block location, forwarded unchanged down a PUT's chain.
   */
  public static final String BLOCK_TOKEN = "X-Raftfs-Block-Token";

  /**
   * Blocks up to this size are appended to a data node's pack files instead of getting files of
   * their own, and clients place them from placements fetched ahead (one checksum chunk).
   */
  public static final int SMALL_BLOCK_MAX_BYTES = 64 * 1024;

  /**
   * The longest block: masters commit no longer one (they keep lengths in 32 bits), so data nodes
   * accept none longer and clients write none longer.
   */
  public static final long MAX_BLOCK_BYTES = 0xFFFF_FFFFL;

  private DataNodeProtocol() {}

  /** The path of a block: {@code /blocks/{id}}, the id unsigned decimal. */
  public static String blockPath(long blockId) {
    return BLOCKS_PATH + Long.toUnsignedString(blockId);
  }

  /** Parses an unsigned 32-bit decimal CRC; {@link IllegalArgumentException} otherwise. */
  public static long parseCrc32c(String value) {
    if (value == null
        || value.isEmpty()
        || value.length() > 10
        || !value.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException(
          CRC32C + " must be an unsigned 32-bit decimal, got " + quote(value));
    }
    long crc = Long.parseLong(value);
    if (crc > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException(
          CRC32C + " must be an unsigned 32-bit decimal, got " + quote(value));
    }
    return crc;
  }

  private static String quote(String value) {
    return value == null ? "nothing" : "'" + value + "'";
  }
}
