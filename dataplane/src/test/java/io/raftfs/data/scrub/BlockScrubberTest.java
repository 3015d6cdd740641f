package io.raftfs.data.scrub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.data.schedule.Scheduler;
import io.raftfs.data.store.BlockRegion;
import io.raftfs.data.store.BlockStore;
import io.raftfs.data.store.PackFormat;
import io.raftfs.data.testing.BlockPattern;
import io.raftfs.data.testing.StoredBlocks;
import io.raftfs.data.traffic.ClientTraffic;
import io.raftfs.testing.SettableClock;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scrubber against a real block store on disk, driven slice by slice (no timers) on a clock the
 * test moves: what it reads per slice and per pass, when passes begin, what it reports and how
 * often, where a restart goes on, and that it reads nothing while clients move blocks.
 */
class BlockScrubberTest {
  private static final int CHUNK = 64 * 1024;
  private static final Scheduler NEVER = (period, task) -> () -> {};
  private static final Duration PERIOD = Duration.ofHours(1);
  private static final ScrubSchedule SCHEDULE =
      new ScrubSchedule(1 << 30, PERIOD, Duration.ofSeconds(1));

  @TempDir Path dir;
  private BlockStore store;
  private final List<Long> reports = new CopyOnWriteArrayList<>();
  private final AtomicBoolean mastersDown = new AtomicBoolean();
  private final SettableClock clock = new SettableClock(1_800_000_000_000L);
  private final ClientTraffic traffic = new ClientTraffic(clock);
  private BlockScrubber scrubber;

  @BeforeEach
  void openStore() throws IOException {
    store = BlockStore.open(dir, OptionalLong.empty(), 0);
    scrubber = newScrubber(SCHEDULE);
  }

  private BlockScrubber newScrubber(ScrubSchedule schedule) {
    BlockScrubber started =
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
            clock,
            schedule,
            traffic);
    started.start();
    return started;
  }

  /** Closes the scrubber and the store and opens both again on the same directory. */
  private void restart() throws IOException {
    scrubber.close();
    store.close();
    store = BlockStore.open(dir, OptionalLong.empty(), 0);
    scrubber = newScrubber(SCHEDULE);
  }

  /** Runs the pass under way (or the one now due) to its end. */
  private void pass() throws IOException {
    scrubber.scrub(Long.MAX_VALUE);
  }

  /** Moves the clock to when the next pass is due and runs it. */
  private void nextPass() throws IOException {
    clock.advance(PERIOD.toMillis());
    pass();
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

    pass();
    nextPass();
    nextPass();

    assertEquals(List.of(), reports);
    assertEquals(3, scrubber.stats().passesCompleted(), scrubber.stats()::toString);
    assertEquals(9, scrubber.stats().blocksScanned());
    assertEquals(0, scrubber.stats().corruptFound());
  }

  @Test
  void theNextPassBeginsAPeriodAfterTheLastBeganAndBlocksStoredMeanwhileWaitForIt()
      throws Exception {
    write(1, 100_000);
    write(5, 100_000);
    scrubber.scrub(1); // the pass begins with blocks 1 and 5
    write(3, 100_000);
    pass();
    assertEquals(2, scrubber.stats().blocksScanned(), "block 3 came during the pass");
    assertEquals(1, scrubber.stats().passesCompleted());

    clock.advance(PERIOD.toMillis() - 1);
    assertEquals(0, scrubber.scrub(Long.MAX_VALUE), "the next pass is not due yet");
    clock.advance(1);
    pass();

    assertEquals(5, scrubber.stats().blocksScanned());
    assertEquals(2, scrubber.stats().passesCompleted());
  }

  @Test
  void aRestartedScrubberGoesOnFromWhereThePassWas() throws Exception {
    for (long id = 1; id <= 4; id++) {
      write(id, 10);
    }
    scrubber.scrub(2 * (BlockScrubber.BLOCK_OPEN_COST + 10));
    assertEquals(2, scrubber.stats().blocksScanned());

    restart();
    pass();

    assertEquals(2, scrubber.stats().blocksScanned(), "blocks 3 and 4 only");
    assertEquals(1, scrubber.stats().passesCompleted());
    restart();
    assertEquals(0, scrubber.scrub(Long.MAX_VALUE), "the pass is over and the next not due");
    nextPass();
    assertEquals(4, scrubber.stats().blocksScanned());
  }

  @Test
  void anUnreadableStateFileStartsANewPass() throws Exception {
    write(1, 10);
    write(2, 10);
    pass();
    scrubber.close();
    Files.writeString(store.layout().scrubberPassFile(), "started=yesterday\n");

    restart();
    pass();

    assertEquals(2, scrubber.stats().blocksScanned());
  }

  @Test
  void nothingIsReadWhileAClientTransferIsInFlight() throws Exception {
    write(1, 3 * CHUNK);
    traffic.began();
    assertEquals(0, scrubber.scrub(Long.MAX_VALUE));
    assertEquals(0, scrubber.stats().bytesScanned());

    traffic.ended();
    pass();

    assertEquals(3L * CHUNK, scrubber.stats().bytesScanned());
  }

  @Test
  void slicesSpreadAPassOverItsPeriod() throws Exception {
    for (long id = 1; id <= 10; id++) {
      write(id, CHUNK);
    }
    scrubber.close();
    scrubber = newScrubber(new ScrubSchedule(1 << 30, Duration.ofSeconds(100), Duration.ZERO));

    for (int tick = 0; tick < 500; tick++) { // 50 s of 100 ms ticks
      scrubber.slice();
      clock.advance(BlockScrubber.TICK.toMillis());
    }
    long halfway = scrubber.stats().blocksScanned();
    for (int tick = 0; tick < 500; tick++) {
      scrubber.slice();
      clock.advance(BlockScrubber.TICK.toMillis());
    }

    assertTrue(halfway >= 4 && halfway <= 6, "blocks checked in half the period: " + halfway);
    assertEquals(1, scrubber.stats().passesCompleted());
    assertEquals(10, scrubber.stats().blocksScanned());
  }

  @Test
  void aFlippedByteIsReportedEveryPassAndCountedOnceAndTheOtherBlocksStayClean() throws Exception {
    write(1, 200_000);
    write(2, 200_000);
    write(3, 200_000);
    flipByte(2, 150_000);

    pass();
    nextPass();
    nextPass();

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

    pass();

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

    pass();

    assertEquals(List.of(1L, 2L), reports, "block 3, in the same pack, is intact");
  }

  @Test
  void aReportNoMasterTookIsMadeAgainOnTheNextPass() throws Exception {
    write(7, 70_000);
    flipByte(7, 0);
    mastersDown.set(true);
    pass();
    assertEquals(List.of(), reports);

    mastersDown.set(false);
    nextPass();

    assertEquals(List.of(7L), reports);
  }

  @Test
  void replicasFoundCorruptAreReportedAgainBetweenPassesUntilDeleted() throws Exception {
    write(8, 1_000);
    write(9, 1_000);
    flipByte(8, 10);
    pass();
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
    pass();
    assertEquals(List.of(5L), reports);

    store.delete(5);
    write(5, 10_000);
    nextPass();
    nextPass();
    assertEquals(List.of(5L), reports, "the fresh copy is intact");
    flipByte(5, 1);
    nextPass();

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
