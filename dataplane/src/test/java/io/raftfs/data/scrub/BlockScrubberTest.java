package io.raftfs.data.scrub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.data.schedule.Scheduler;
import io.raftfs.data.store.BlockRegion;
import io.raftfs.data.store.BlockStore;
import io.raftfs.data.store.PackFormat;
import io.raftfs.data.testing.BlockPattern;
import io.raftfs.data.testing.StoredBlocks;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scrubber against a real block store on disk, driven slice by slice (no timers): what it reads
 * per slice, what it reports and how often.
 */
class BlockScrubberTest {
  private static final int CHUNK = 64 * 1024;
  private static final Scheduler NEVER = (period, task) -> () -> {};

  @TempDir Path dir;
  private BlockStore store;
  private final List<Long> reports = new CopyOnWriteArrayList<>();
  private final AtomicBoolean mastersDown = new AtomicBoolean();
  private BlockScrubber scrubber;

  @BeforeEach
  void openStore() throws IOException {
    store = BlockStore.open(dir, OptionalLong.empty(), 0);
    scrubber =
        new BlockScrubber(
            null,
            store,
            "dn-test",
            (blockId, node) -> {
              assertEquals("dn-test", node);
              if (mastersDown.get()) {
                throw new IllegalStateException("no leader");
              }
              reports.add(blockId);
            },
            NEVER,
            1 << 20);
    scrubber.start();
  }

  @AfterEach
  void closeStore() throws Exception {
    scrubber.close();
    store.close();
  }

  @Test
  void aSliceReadsNoMoreThanItsBudgetRoundedUpToOneChunk() throws Exception {
    write(1, 3 * CHUNK + 10);

    scrubber.scrub(1);
    assertEquals(CHUNK, scrubber.stats().bytesScanned());
    scrubber.scrub(2L * CHUNK);
    assertEquals(3L * CHUNK, scrubber.stats().bytesScanned());
    assertEquals(0, scrubber.stats().blocksScanned());
    scrubber.scrub(10);
    assertEquals(3L * CHUNK + 10, scrubber.stats().bytesScanned());
    assertEquals(1, scrubber.stats().blocksScanned());
  }

  @Test
  void openingABlockCountsAgainstTheBudget() throws Exception {
    for (long id = 1; id <= 10; id++) {
      write(id, 10);
    }

    scrubber.scrub(BlockScrubber.BLOCK_OPEN_COST);
    assertEquals(1, scrubber.stats().blocksScanned());
    scrubber.scrub(3 * (BlockScrubber.BLOCK_OPEN_COST + 10));
    assertEquals(4, scrubber.stats().blocksScanned());
  }

  @Test
  void intactBlocksAreCheckedPassAfterPassAndNeverReported() throws Exception {
    write(1, 100_000);
    write(2, 5);
    write(3, 0);

    for (int i = 0; i < 3; i++) {
      scrubber.scrub(Long.MAX_VALUE);
    }

    assertEquals(List.of(), reports);
    assertTrue(scrubber.stats().passesCompleted() >= 2, scrubber.stats()::toString);
    assertEquals(0, scrubber.stats().corruptFound());
  }

  @Test
  void aFlippedByteIsReportedEveryPassAndCountedOnceAndTheOtherBlocksStayClean() throws Exception {
    write(1, 200_000);
    write(2, 200_000);
    write(3, 200_000);
    flipByte(2, 150_000);

    scrubber.scrub(Long.MAX_VALUE);
    scrubber.scrub(Long.MAX_VALUE);
    scrubber.scrub(Long.MAX_VALUE);

    assertEquals(List.of(2L, 2L, 2L), reports);
    assertEquals(1, scrubber.stats().corruptFound());
  }

  @Test
  void aTruncatedDataFileAndADamagedSidecarAreBothCorrupt() throws Exception {
    write(1, 100_000);
    write(2, 100_000);
    try (RandomAccessFile file =
        new RandomAccessFile(StoredBlocks.region(store, 1).file().toFile(), "rw")) {
      file.setLength(99_000);
    }
    Path sidecar = store.layout().sidecarFile(2);
    byte[] bytes = Files.readAllBytes(sidecar);
    bytes[bytes.length - 6] ^= 1;
    Files.write(sidecar, bytes);

    scrubber.scrub(Long.MAX_VALUE);

    assertEquals(List.of(1L, 2L), reports);
    assertEquals(2, scrubber.stats().corruptFound());
  }

  @Test
  void aPackedBlockWithFlippedDataOrADamagedRecordHeaderIsCorrupt() throws Exception {
    write(1, 4096);
    write(2, 4096);
    write(3, 4096);
    flipByte(1, 4000);
    BlockRegion second = StoredBlocks.region(store, 2);
    try (RandomAccessFile pack = new RandomAccessFile(second.file().toFile(), "rw")) {
      long blockIdField = second.offset() - PackFormat.HEADER_BYTES + 8;
      pack.seek(blockIdField);
      pack.write(pack.read() ^ 1);
    }

    scrubber.scrub(Long.MAX_VALUE);

    assertEquals(List.of(1L, 2L), reports, "block 3, in the same pack, is intact");
  }

  @Test
  void aReportNoMasterTookIsMadeAgainOnTheNextPass() throws Exception {
    write(7, 70_000);
    flipByte(7, 0);
    mastersDown.set(true);
    scrubber.scrub(Long.MAX_VALUE);
    assertEquals(List.of(), reports);

    mastersDown.set(false);
    scrubber.scrub(Long.MAX_VALUE);

    assertEquals(List.of(7L), reports);
  }

  @Test
  void replicasFoundCorruptAreReportedAgainBetweenPassesUntilDeleted() throws Exception {
    write(8, 1_000);
    write(9, 1_000);
    flipByte(8, 10);
    scrubber.scrub(Long.MAX_VALUE);
    assertEquals(List.of(8L), reports);

    scrubber.reportKnownCorrupt();
    assertEquals(List.of(8L, 8L), reports, "a new leader hears it again without a new pass");
    store.delete(8);
    scrubber.reportKnownCorrupt();

    assertEquals(List.of(8L, 8L), reports);
  }

  @Test
  void aCorruptBlockReplacedByAGoodCopyIsNoLongerReportedAndCountsAgainIfItRotsAgain()
      throws Exception {
    write(5, 10_000);
    flipByte(5, 9_999);
    scrubber.scrub(Long.MAX_VALUE);
    assertEquals(List.of(5L), reports);

    store.delete(5);
    write(5, 10_000);
    scrubber.scrub(Long.MAX_VALUE);
    scrubber.scrub(Long.MAX_VALUE);
    assertEquals(List.of(5L), reports, "the fresh copy is intact");
    flipByte(5, 1);
    scrubber.scrub(Long.MAX_VALUE);

    assertEquals(List.of(5L, 5L), reports);
    assertEquals(2, scrubber.stats().corruptFound());
  }

  private void write(long blockId, int length) throws Exception {
    StoredBlocks.store(store, blockId, new BlockPattern(blockId, length).bytes(0, length));
  }

  private void flipByte(long blockId, long offset) throws IOException {
    StoredBlocks.flipByte(store, blockId, offset);
  }
}
