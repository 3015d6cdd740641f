package io.raftfs.data.store;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pack files on a real disk: what survives a restart, a torn append, a damaged header, a delete.
 */
class BlockPacksTest {
  private static final long PACK_BYTES = 1 << 20;

  @TempDir Path dir;
  private final Map<Long, BlockPacks.Loaded> found = new TreeMap<>();

  @Test
  void appendedBlocksAreFoundWithTheirBytesAfterARestart() throws Exception {
    try (BlockPacks packs = open(PACK_BYTES)) {
      append(packs, 1, 0);
      append(packs, 2, 1);
      append(packs, 3, 4096);
      append(packs, 4, BlockStore.PACKED_MAX_BYTES);
    }

    try (BlockPacks packs = open(PACK_BYTES)) {
      assertEquals(List.of(1L, 2L, 3L, 4L), List.copyOf(found.keySet()));
      for (BlockPacks.Loaded block : found.values()) {
        assertArrayEquals(content(block.blockId(), block.length()), read(block.location()));
        assertEquals(crc(content(block.blockId(), block.length())), block.crc32c());
      }
    }
  }

  @Test
  void aDeletedBlockStaysDeletedAndItsPacksGoAwayWhenNothingNeedsThem() throws Exception {
    BlockPacks.Location a;
    try (BlockPacks packs = open(PACK_BYTES)) {
      a = append(packs, 1, 100);
      append(packs, 2, 100);
    }
    Path first = onlyPack();
    try (BlockPacks packs = open(PACK_BYTES)) {
      packs.remove(1, found.get(1L).location()); // tombstone in the second pack
    }
    assertEquals(2, packFiles().size(), "the tombstone's pack hides block 1 of the first");

    try (BlockPacks packs = open(PACK_BYTES)) {
      assertEquals(List.of(2L), List.copyOf(found.keySet()));
      packs.remove(2, found.get(2L).location());
    }

    assertEquals(first, a.file());
    assertEquals(List.of(), packFiles(), "no block left, so no tombstone needed either");
    try (BlockPacks packs = open(PACK_BYTES)) {
      assertTrue(found.isEmpty());
    }
  }

  @Test
  void aTornLastAppendIsDroppedAndTheRecordsBeforeItAreKept() throws Exception {
    try (BlockPacks packs = open(PACK_BYTES)) {
      append(packs, 1, 3000);
      append(packs, 2, 3000);
    }
    Path pack = onlyPack();
    try (RandomAccessFile file = new RandomAccessFile(pack.toFile(), "rw")) {
      file.setLength(file.length() - 10); // the crash came before the last bytes reached the disk
    }

    try (BlockPacks packs = open(PACK_BYTES)) {
      assertEquals(List.of(1L), List.copyOf(found.keySet()));
      append(packs, 3, 10);
    }
    assertEquals(2, packFiles().size(), "nothing is appended after a torn record");
  }

  @Test
  void aDamagedHeaderInAnOlderPackCostsOnlyItsOwnRecord() throws Exception {
    try (BlockPacks packs = open(PACK_BYTES)) {
      append(packs, 1, 500);
      append(packs, 2, 500);
      append(packs, 3, 500);
    }
    Path pack = onlyPack();
    try (BlockPacks packs = open(PACK_BYTES)) {
      append(packs, 4, 500); // the first pack is no longer the last one written
    }
    long record = PackFormat.MARKER_BYTES + PackFormat.HEADER_BYTES;
    long secondHeader = record + 500 + PackFormat.MARKER_BYTES;
    try (RandomAccessFile file = new RandomAccessFile(pack.toFile(), "rw")) {
      file.seek(secondHeader + 9);
      file.write(file.read() ^ 0x10);
    }

    try (BlockPacks packs = open(PACK_BYTES)) {
      assertEquals(List.of(1L, 3L, 4L), List.copyOf(found.keySet()));
      assertArrayEquals(content(3, 500), read(found.get(3L).location()));
    }
  }

  @Test
  void aRecordForgedInsideBlockDataIsNotTakenForOneAfterADamagedHeader() throws Exception {
    try (BlockPacks packs = open(PACK_BYTES)) {
      append(packs, 5, 500);
      appendBytes(packs, 6, forgedTombstoneOf(5));
      append(packs, 7, 500);
    }
    Path pack = onlyPack();
    try (BlockPacks packs = open(PACK_BYTES)) {
      append(packs, 8, 10); // the first pack is no longer the last one written
    }
    long secondHeader = PackFormat.MARKER_BYTES + PackFormat.HEADER_BYTES + 500;
    flipByte(pack, secondHeader + PackFormat.MARKER_BYTES + 9);

    try (BlockPacks packs = open(PACK_BYTES)) {
      assertEquals(List.of(5L, 7L, 8L), List.copyOf(found.keySet()), "block 5 is not hidden");
    }
  }

  @Test
  void aPackWrittenBeforeSyncMarkersLoadsAndIsNotResynchronisedAfterDamage() throws Exception {
    Path legacy = dir.resolve("pack-0000000000000001");
    byte[] forged = forgedTombstoneOf(5);
    try (FileChannel out = FileChannel.open(legacy, CREATE_NEW, WRITE)) {
      writeLegacyRecord(out, 5, content(5, 500));
      writeLegacyRecord(out, 6, forged);
      writeLegacyRecord(out, 7, content(7, 500));
    }
    try (BlockPacks packs = open(PACK_BYTES)) {
      assertEquals(List.of(5L, 6L, 7L), List.copyOf(found.keySet()));
      assertArrayEquals(forged, read(found.get(6L).location()));
    }

    flipByte(legacy, PackFormat.HEADER_BYTES + 500 + 9);
    try (BlockPacks packs = open(PACK_BYTES)) {
      // Block 7 is lost here (its other replicas remain); block 5 is not deleted by block data.
      assertEquals(List.of(5L), List.copyOf(found.keySet()));
    }
  }

  /** Block data a client could send: junk, then a well-formed tombstone header for {@code id}. */
  private static byte[] forgedTombstoneOf(long blockId) {
    ByteBuffer data = ByteBuffer.allocate(300);
    data.put(new byte[100]);
    data.put(PackFormat.encode(new PackFormat.Header(PackFormat.TOMBSTONE, blockId, 0, 0)));
    return data.array();
  }

  private static void writeLegacyRecord(FileChannel out, long blockId, byte[] data)
      throws IOException {
    out.write(
        new ByteBuffer[] {
          PackFormat.encode(
              new PackFormat.Header(PackFormat.BLOCK, blockId, data.length, (int) crc(data))),
          ByteBuffer.wrap(data)
        });
  }

  private static void flipByte(Path file, long offset) throws IOException {
    try (RandomAccessFile damaged = new RandomAccessFile(file.toFile(), "rw")) {
      damaged.seek(offset);
      int value = damaged.read();
      damaged.seek(offset);
      damaged.write(value ^ 0x10);
    }
  }

  @Test
  void aFullPackIsClosedAndTheNextBlocksGoToANewOne() throws Exception {
    try (BlockPacks packs = open(1000)) {
      for (long id = 1; id <= 5; id++) {
        append(packs, id, 600);
      }
    }
    assertEquals(5, packFiles().size());

    try (BlockPacks packs = open(1000)) {
      assertEquals(List.of(1L, 2L, 3L, 4L, 5L), List.copyOf(found.keySet()));
    }
  }

  @Test
  void concurrentAppendsAllBecomeDurable() throws Exception {
    int blocks = 200;
    try (BlockPacks packs = open(PACK_BYTES)) {
      var appends =
          java.util.stream.IntStream.rangeClosed(1, blocks)
              .parallel()
              .mapToObj(
                  id -> {
                    byte[] content = content(id, 1000);
                    return packs.append(id, ByteBuffer.wrap(content), crc(content));
                  })
              .toList();
      for (var append : appends) {
        append.get(10, TimeUnit.SECONDS);
      }
    }

    try (BlockPacks packs = open(PACK_BYTES)) {
      assertEquals(blocks, found.size());
      for (BlockPacks.Loaded block : found.values()) {
        assertArrayEquals(content(block.blockId(), 1000), read(block.location()));
      }
    }
  }

  private BlockPacks open(long packBytes) throws IOException {
    found.clear();
    return BlockPacks.open(dir, packBytes, loaded -> found.put(loaded.blockId(), loaded));
  }

  private static BlockPacks.Location append(BlockPacks packs, long blockId, int length)
      throws Exception {
    byte[] content = content(blockId, length);
    return packs.append(blockId, ByteBuffer.wrap(content), crc(content)).get(10, TimeUnit.SECONDS);
  }

  private static void appendBytes(BlockPacks packs, long blockId, byte[] content) throws Exception {
    packs.append(blockId, ByteBuffer.wrap(content), crc(content)).get(10, TimeUnit.SECONDS);
  }

  private static byte[] content(long blockId, int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (blockId * 31 + i);
    }
    return bytes;
  }

  private static long crc(byte[] content) {
    CRC32C crc = new CRC32C();
    crc.update(content);
    return crc.getValue();
  }

  private static byte[] read(BlockPacks.Location location) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(location.length());
    try (FileChannel channel = FileChannel.open(location.file())) {
      while (bytes.hasRemaining()) {
        channel.read(bytes, location.dataOffset() + bytes.position());
      }
    }
    return bytes.array();
  }

  private List<Path> packFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList();
    }
  }

  private Path onlyPack() throws IOException {
    List<Path> packs = packFiles();
    assertEquals(1, packs.size(), packs.toString());
    return packs.get(0);
  }
}
