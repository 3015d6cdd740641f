package io.raftfs.data.store;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The records of a pack file ({@link BlockPacks}): the pack's sync marker, a fixed header, then the
 * block's bytes.
 *
 * <pre>
 * byte[16] sync marker: random, the same before every record of a pack, named in its file name
 * int   magic "RFSP"
 * byte  kind: 1 block, 2 tombstone (the block was deleted; no data follows)
 * byte[3] zero
 * long  block id
 * int   data length (0 for a tombstone)
 * int   CRC32C of the data
 * int   CRC32C of the 24 bytes above (a torn or damaged header is detected, never trusted)
 * byte[length] data
 * </pre>
 *
 * A packed block is at most one checksum chunk long, so the data CRC is also its only chunk CRC and
 * no sidecar is needed.
 *
 * <p>The marker makes resynchronising after a damaged header safe, as a SequenceFile's sync marker
 * does: block data comes from clients, who can put a well-formed header inside it but cannot know
 * the marker, so a scan that looks for the next record only where the marker is never takes block
 * data for a record. Packs written before markers (file name without one) are never resynchronised.
 */
public final class PackFormat {
  public static final int HEADER_BYTES = 28;
  public static final int MARKER_BYTES = 16;
  private static final SecureRandom RANDOM = new SecureRandom();
  static final byte BLOCK = 1;
  static final byte TOMBSTONE = 2;
  private static final int MAGIC = 0x52465350;

  private PackFormat() {}

  /** One decoded header. */
  public record Header(byte kind, long blockId, int length, int crc32c) {
    public boolean isBlock() {
      return kind == BLOCK;
    }
  }

  /** A new pack's sync marker. */
  static byte[] newMarker() {
    byte[] marker = new byte[MARKER_BYTES];
    RANDOM.nextBytes(marker);
    return marker;
  }

  /** True if {@code in} holds {@code marker} at {@code position}. */
  static boolean markerAt(ByteBuffer in, int position, byte[] marker) {
    if (position + MARKER_BYTES > in.limit()) {
      return false;
    }
    for (int i = 0; i < MARKER_BYTES; i++) {
      if (in.get(position + i) != marker[i]) {
        return false;
      }
    }
    return true;
  }

  static ByteBuffer encode(Header header) {
    ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES);
    out.putInt(MAGIC)
        .put(header.kind())
        .put((byte) 0)
        .putShort((short) 0)
        .putLong(header.blockId())
        .putInt(header.length())
        .putInt(header.crc32c());
    CRC32C crc = new CRC32C();
    crc.update(out.array(), 0, out.position());
    out.putInt((int) crc.getValue());
    return out.flip();
  }

  /**
   * The header in the next {@link #HEADER_BYTES} of {@code in}, or empty if they are not one: bad
   * magic, unknown kind, a tombstone with data, or a header CRC that does not match.
   */
  public static Optional<Header> decode(ByteBuffer in) {
    if (in.remaining() < HEADER_BYTES) {
      return Optional.empty();
    }
    ByteBuffer header = in.slice(in.position(), HEADER_BYTES);
    CRC32C crc = new CRC32C();
    crc.update(header.slice(0, HEADER_BYTES - 4));
    if (header.getInt(0) != MAGIC || (int) crc.getValue() != header.getInt(HEADER_BYTES - 4)) {
      return Optional.empty();
    }
    byte kind = header.get(4);
    long blockId = header.getLong(8);
    int length = header.getInt(16);
    boolean plausible =
        (kind == BLOCK && length >= 0 && length <= BlockChecksums.CHUNK_SIZE)
            || (kind == TOMBSTONE && length == 0);
    if (!plausible || header.get(5) != 0 || header.getShort(6) != 0) {
      return Optional.empty();
    }
    return Optional.of(new Header(kind, blockId, length, header.getInt(20)));
  }
}
