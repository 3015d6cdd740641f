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

  /**
   * On a 206 answer to a range that starts at a chunk boundary and ends at one (or at the block's
   * end): the stored CRC32C of each {@link #CHUNK_BYTES} chunk of the range, in order, as unsigned
   * 32-bit hex separated by commas, so a reader checks a part of a block end to end as it checks a
   * whole one against {@link #CRC32C}. See {@link #chunkAligned}.
   */
  public static final String CHUNK_CRC32C = "X-Raftfs-Chunk-Crc32c";

  /** The unit of a block's stored checksums. */
  public static final int CHUNK_BYTES = 64 * 1024;

  /** The most chunks one range answer lists (9 bytes each in {@link #CHUNK_CRC32C}): 32 MiB. */
  public static final int MAX_RANGE_CHUNKS = 512;

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

  /**
   * Whether a range of a block of {@code blockLength} bytes is answered with {@link #CHUNK_CRC32C}:
   * it starts at a chunk boundary, ends at one or at the block's end, and spans at most {@link
   * #MAX_RANGE_CHUNKS} chunks.
   */
  public static boolean chunkAligned(long offset, long length, long blockLength) {
    long end = offset + length;
    return length > 0
        && offset % CHUNK_BYTES == 0
        && end <= blockLength
        && (end % CHUNK_BYTES == 0 || end == blockLength)
        && (length + CHUNK_BYTES - 1) / CHUNK_BYTES <= MAX_RANGE_CHUNKS;
  }

  /** The {@link #CHUNK_CRC32C} value of {@code crcs}. */
  public static String formatChunkCrcs(int[] crcs, int from, int count) {
    StringBuilder out = new StringBuilder(count * 9);
    for (int i = from; i < from + count; i++) {
      if (i > from) {
        out.append(',');
      }
      out.append(Integer.toHexString(crcs[i]));
    }
    return out.toString();
  }

  /**
   * Parses a {@link #CHUNK_CRC32C} value that must list {@code count} CRCs; {@link
   * IllegalArgumentException} otherwise.
   */
  public static int[] parseChunkCrcs(String value, int count) {
    if (value == null) {
      throw new IllegalArgumentException("no " + CHUNK_CRC32C + " header");
    }
    String[] parts = value.split(",", -1);
    if (parts.length != count) {
      throw new IllegalArgumentException(
          CHUNK_CRC32C + " lists " + parts.length + " CRCs for " + count + " chunks");
    }
    int[] crcs = new int[count];
    for (int i = 0; i < count; i++) {
      try {
        if (parts[i].isEmpty() || parts[i].length() > 8) {
          throw new NumberFormatException();
        }
        crcs[i] = Integer.parseUnsignedInt(parts[i], 16);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            CHUNK_CRC32C + " entry " + i + " is not 32-bit hex: " + quote(parts[i]));
      }
    }
    return crcs;
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
