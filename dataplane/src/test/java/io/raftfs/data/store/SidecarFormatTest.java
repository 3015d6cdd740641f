package io.raftfs.data.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class SidecarFormatTest {
  @Test
  void checksumsDoNotDependOnHowTheBytesArrive() {
    byte[] block = new byte[3 * BlockChecksums.CHUNK_SIZE + 17];
    new Random(1).nextBytes(block);
    BlockChecksummer whole = new BlockChecksummer();
    whole.update(block);
    BlockChecksummer pieces = new BlockChecksummer();
    Random sizes = new Random(2);
    for (int offset = 0; offset < block.length; ) {
      int n = Math.min(block.length - offset, 1 + sizes.nextInt(100_000));
      pieces.update(ByteBuffer.wrap(block, offset, n));
      offset += n;
    }

    BlockChecksums a = whole.finish();
    BlockChecksums b = pieces.finish();

    CRC32C crc = new CRC32C();
    crc.update(block);
    assertEquals(crc.getValue(), a.crc32c());
    assertEquals(a.crc32c(), b.crc32c());
    assertArrayEquals(a.chunkCrcs(), b.chunkCrcs());
    assertEquals(4, a.chunkCrcs().length);
    CRC32C last = new CRC32C();
    last.update(block, 3 * BlockChecksums.CHUNK_SIZE, 17);
    assertEquals((int) last.getValue(), a.chunkCrcs()[3]);
  }

  @Test
  void sidecarRoundTripsAndRejectsAnyFlippedBit() throws IOException {
    BlockChecksummer checksummer = new BlockChecksummer();
    checksummer.update(new byte[100_000]);
    BlockChecksums checksums = checksummer.finish();
    ByteBuffer encoded = SidecarFormat.encode(checksums);

    BlockChecksums decoded = SidecarFormat.decode(encoded.duplicate());
    assertEquals(checksums.length(), decoded.length());
    assertEquals(checksums.crc32c(), decoded.crc32c());
    assertArrayEquals(checksums.chunkCrcs(), decoded.chunkCrcs());

    for (int i = 0; i < encoded.remaining(); i++) {
      ByteBuffer damaged = ByteBuffer.allocate(encoded.remaining()).put(encoded.duplicate()).flip();
      damaged.put(i, (byte) (damaged.get(i) ^ 0x10));
      assertThrows(IOException.class, () -> SidecarFormat.decode(damaged), "byte " + i);
    }
  }

  @Test
  void emptyBlockHasNoChunks() throws IOException {
    BlockChecksums empty = new BlockChecksummer().finish();
    assertEquals(0, empty.chunkCrcs().length);
    assertEquals(0, SidecarFormat.decode(SidecarFormat.encode(empty)).length());
  }
}
