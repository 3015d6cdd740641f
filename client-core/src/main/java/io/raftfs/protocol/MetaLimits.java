package io.raftfs.protocol;

/**
 * What one metadata request, and one {@code POST /v1/meta} exchange, may carry (docs/protocol.md).
 * The leader refuses anything beyond them before it logs or plans any work, so no client can grow
 * the replicated state or the leader's work without bound; clients keep within them.
 *
 * <pre>{@code
 * if (MetaLimits.utf8Length(nodeId) > MetaLimits.MAX_ID_BYTES) ... // refused by the leader
 * }</pre>
 */
public final class MetaLimits {
  /** Node ids and client ids, in UTF-8 bytes: a UUID is 36. */
  public static final int MAX_ID_BYTES = 128;

  /** A data node's {@code host:port}: a DNS name is at most 253 bytes, a port 5 digits. */
  public static final int MAX_HTTP_ADDRESS_BYTES = 261;

  /** Copies of a block. */
  public static final int MIN_REPLICATION = 1;

  public static final int MAX_REPLICATION = 16;

  /**
   * The smallest block size any master can be configured to accept: one checksum chunk, the size
   * below which data nodes pack blocks. A master's own minimum is a setting at or above it.
   */
  public static final long MIN_BLOCK_SIZE = DataNodeProtocol.SMALL_BLOCK_MAX_BYTES;

  /** The largest block size any master can accept: block lengths are unsigned 32-bit. */
  public static final long MAX_BLOCK_SIZE = DataNodeProtocol.MAX_BLOCK_BYTES;

  /** Blocks of one file, listed whole in its commit: 6.4 TiB at the default 64 MiB blocks. */
  public static final int MAX_BLOCKS_PER_FILE = 100_000;

  /** Sources of one {@code concat}: S3's most parts of one multipart upload. */
  public static final int MAX_CONCAT_SOURCES = 10_000;

  /** Attributes one file may carry (CommitFileRequest.attributes): replicated state, kept small. */
  public static final int MAX_FILE_ATTRIBUTES = 64;

  /** UTF-8 bytes of one file's attribute names and values together. */
  public static final int MAX_FILE_ATTRIBUTE_BYTES = 8192;

  /** Blocks one {@code allocate_blocks} asks for. */
  public static final int MAX_BLOCKS_PER_ALLOCATION = 1024;

  /** Nodes one {@code allocate_blocks} may exclude: more than a write can have seen fail. */
  public static final int MAX_EXCLUDED_NODES = 256;

  /** Requests in one exchange. */
  public static final int MAX_REQUESTS_PER_EXCHANGE = 1024;

  /** Blocks all {@code allocate_blocks} of one exchange ask for together. */
  public static final int MAX_BLOCKS_PER_EXCHANGE = 4 * MAX_BLOCKS_PER_ALLOCATION;

  private MetaLimits() {}

  /** The UTF-8 length of {@code text}, counted without encoding it. */
  public static int utf8Length(String text) {
    int bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
