package io.raftfs.client.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.raftfs.protocol.DataNodeProtocol;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class ChunkCheckedSinkTest {
  private static final int CHUNK = DataNodeProtocol.CHUNK_BYTES;

  private final byte[] block = new byte[2 * CHUNK + 1000];
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();
  private final AtomicLong progress = new AtomicLong();

  ChunkCheckedSinkTest() {
    new Random(7).nextBytes(block);
  }

  @Test
  void passesOnOnlyTheWantedBytesOfChunksThatMatch() throws Exception {
    ChunkCheckedSink sink = sink(crcs(), CHUNK + 10, 2 * CHUNK + 500);
    feed(sink, CHUNK, block.length, 4096);
    sink.finish();

    byte[] wanted = new byte[CHUNK + 490];
    System.arraycopy(block, CHUNK + 10, wanted, 0, wanted.length);
    assertArrayEquals(wanted, received.toByteArray());
    assertEquals(wanted.length, progress.get());
  }

  @Test
  void aChunkThatFailsItsCrcIsRefusedAndNoneOfItsBytesPassOn() throws Exception {
    int[] crcs = crcs();
    block[CHUNK + 5] ^= 1;
    block[2 * CHUNK + 3] ^= 1;
    ChunkCheckedSink sink = sink(crcs, CHUNK, block.length);

    CorruptReplicaException corrupt =
        assertThrows(CorruptReplicaException.class, () -> feed(sink, CHUNK, block.length, 7000));

    assertEquals("dn: bytes 65536+65536 of the block fail their CRC32C", corrupt.getMessage());
    assertEquals(0, received.size());
  }

  @Test
  void aRangeThatEndsEarlyOrRunsLongIsRefused() throws Exception {
    ChunkCheckedSink shortOne = sink(crcs(), 0, block.length);
    feed(shortOne, 0, CHUNK, CHUNK);
    DataNodeException ended = assertThrows(DataNodeException.class, shortOne::finish);
    assertEquals("dn: the range ended after 1 of 3 chunks", ended.getMessage());

    received.reset();
    int[] firstOnly = {crcs()[0]};
    ChunkCheckedSink longOne = sink(firstOnly, 0, CHUNK);
    assertThrows(DataNodeException.class, () -> feed(longOne, 0, 2 * CHUNK, CHUNK));
  }

  @Test
  void theHeaderListsHexCrcsAndOnlyAlignedRangesCarryIt() {
    int[] crcs = {0, -1, 0x1234abcd};
    String header = DataNodeProtocol.formatChunkCrcs(crcs, 0, 3);
    assertEquals("0,ffffffff,1234abcd", header);
    assertArrayEquals(crcs, DataNodeProtocol.parseChunkCrcs(header, 3));
    assertThrows(IllegalArgumentException.class, () -> DataNodeProtocol.parseChunkCrcs(header, 2));
    assertThrows(IllegalArgumentException.class, () -> DataNodeProtocol.parseChunkCrcs("1,,2", 3));
    assertThrows(IllegalArgumentException.class, () -> DataNodeProtocol.parseChunkCrcs("x", 1));
    assertThrows(
        IllegalArgumentException.class, () -> DataNodeProtocol.parseChunkCrcs("100000000", 1));
    assertThrows(IllegalArgumentException.class, () -> DataNodeProtocol.parseChunkCrcs(null, 1));

    long length = block.length;
    assertEquals(true, DataNodeProtocol.chunkAligned(0, CHUNK, length));
    assertEquals(true, DataNodeProtocol.chunkAligned(CHUNK, length - CHUNK, length));
    assertEquals(false, DataNodeProtocol.chunkAligned(1, CHUNK - 1, length));
    assertEquals(false, DataNodeProtocol.chunkAligned(0, CHUNK + 1, length));
    long max = (long) DataNodeProtocol.MAX_RANGE_CHUNKS * CHUNK;
    assertEquals(true, DataNodeProtocol.chunkAligned(0, max, 2 * max));
    assertEquals(false, DataNodeProtocol.chunkAligned(0, max + CHUNK, 2 * max));
  }

  private ChunkCheckedSink sink(int[] crcs, long wantedStart, long wantedEnd) {
    long rangeStart = wantedStart / CHUNK * CHUNK;
    int first = (int) (rangeStart / CHUNK);
    int[] range = new int[crcs.length - first];
    System.arraycopy(crcs, first, range, 0, range.length);
    return new ChunkCheckedSink(
        range,
        rangeStart,
        wantedStart,
        wantedEnd,
        (bytes, position) -> {
          assertEquals(received.size(), position);
          byte[] copy = new byte[bytes.remaining()];
          bytes.get(copy);
          received.write(copy, 0, copy.length);
        },
        progress::addAndGet,
        "dn");
  }

  private void feed(ChunkCheckedSink sink, int from, int to, int step) throws Exception {
    for (int at = from; at < to; at += step) {
      sink.accept(block, at, Math.min(step, to - at));
    }
  }

  private int[] crcs() {
    int[] crcs = new int[(block.length + CHUNK - 1) / CHUNK];
    for (int i = 0; i < crcs.length; i++) {
      CRC32C crc = new CRC32C();
      crc.update(ByteBuffer.wrap(block, i * CHUNK, Math.min(CHUNK, block.length - i * CHUNK)));
      crcs[i] = (int) crc.getValue();
    }
    return crcs;
  }
}
