package io.raftfs.data.scrub;

import io.raftfs.data.schedule.Scheduler;
import io.raftfs.data.store.BlockChecksums;
import io.raftfs.data.store.BlockEntry;
import io.raftfs.data.store.BlockId;
import io.raftfs.data.store.BlockRegion;
import io.raftfs.data.store.BlockStore;
import io.raftfs.data.store.BlockStoreListener;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads every stored block, over and over, at a bounded rate and checks each 64 KiB chunk
 * against the CRC32C in the block's sidecar (HDFS's block scanner). Bit rot on a replica nobody
 * reads is found this way before the other replicas are lost too.
 *
 * <p>A replica that fails (a chunk mismatch, a short file, a sidecar that does not decode or does
 * not match the index) is reported to the masters through {@link BadReplicaReporter}; the leader
 * stops offering it, copies the block from a good replica and then orders this copy deleted. Until
 * then it is reported again every {@link #REPORT_AGAIN} and on every pass: the leader keeps corrupt
 * marks as soft state, so a new leader (or one that missed the report) learns it again soon.
 *
 * <p>Time comes from the injected {@link Scheduler}: every {@link #TICK} one worker task reads up
 * to {@code bytesPerSecond * TICK} bytes, each block opened counting {@link #BLOCK_OPEN_COST} more,
 * continuing where the last one stopped (a block may take many ticks). A tick that finds the
 * previous one still running is skipped, so a slow disk lowers the rate instead of piling up work.
 * Blocks are visited in id order; blocks stored during a pass wait for the next one.
 */
public final class BlockScrubber implements BlockStoreListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BlockScrubber.class);

  /** How often a slice of scrubbing runs. */
  public static final Duration TICK = Duration.ofMillis(100);

  /** How often replicas found corrupt and still stored are reported again. */
  public static final Duration REPORT_AGAIN = Duration.ofSeconds(30);

  /**
   * What opening a block counts against the budget besides its bytes: two files to open and a
   * sidecar to decode cost about what a disk seek would have read. Without it a node of 4 KiB
   * blocks had each of its 8,000 blocks/s opened at the default rate, taking a sixth of its CPU
   * from the uploads it served.
   */
  static final long BLOCK_OPEN_COST = 256 * 1024;

  private static final long TICKS_PER_REPORT = REPORT_AGAIN.toMillis() / TICK.toMillis();

  private final Vertx vertx;
  private final BlockStore store;
  private final String nodeId;
  private final BadReplicaReporter reporter;
  private final Scheduler scheduler;
  private final long bytesPerSecond;
  private final long bytesPerTick;
  private final Deque<BlockEntry> pass = new ArrayDeque<>();
  // Found corrupt and still stored: counted once in corruptFound, reported every pass.
  private final Set<Long> corrupt = ConcurrentHashMap.newKeySet();
  private final AtomicLong bytesScanned = new AtomicLong();
  private final AtomicLong blocksScanned = new AtomicLong();
  private final AtomicLong corruptFound = new AtomicLong();
  private final AtomicLong passesCompleted = new AtomicLong();
  private Cursor cursor;
  private boolean inPass;
  private boolean running;
  private long ticks;
  private volatile boolean closed;
  private Scheduler.Cancellable timer;

  /**
   * @param bytesPerSecond read rate; 0 disables the scrubber ({@link #start} does nothing)
   */
  public BlockScrubber(
      Vertx vertx,
      BlockStore store,
      String nodeId,
      BadReplicaReporter reporter,
      Scheduler scheduler,
      long bytesPerSecond) {
    this.vertx = vertx;
    this.store = store;
    this.nodeId = nodeId;
    this.reporter = reporter;
    this.scheduler = scheduler;
    this.bytesPerSecond = bytesPerSecond;
    this.bytesPerTick = Math.max(1, bytesPerSecond * TICK.toMillis() / 1000);
  }

  /** Starts ticking on the calling Vert.x context. */
  public void start() {
    store.addListener(this);
    if (bytesPerSecond > 0) {
      timer = scheduler.every(TICK, this::tick);
      LOG.info("scrubber reads every block at {} bytes/s", bytesPerSecond);
    }
  }

  /** What the scrubber has done since the node started. */
  public ScrubStats stats() {
    return new ScrubStats(
        bytesPerSecond,
        bytesScanned.get(),
        blocksScanned.get(),
        corruptFound.get(),
        passesCompleted.get());
  }

  private void tick() {
    if (running || closed) {
      return;
    }
    running = true;
    boolean reportAgain = ++ticks % TICKS_PER_REPORT == 0;
    vertx
        .executeBlocking(
            () -> {
              if (reportAgain) {
                reportKnownCorrupt();
              }
              scrub(bytesPerTick);
              return null;
            },
            false)
        .onComplete(
            ar -> {
              running = false;
              if (ar.failed()) {
                LOG.warn("scrubber slice failed", ar.cause());
              }
            });
  }

  /** Reports every replica found corrupt that is still stored. Blocking. */
  void reportKnownCorrupt() {
    for (long blockId : corrupt) {
      if (closed || store.get(blockId).isEmpty()) {
        continue;
      }
      try {
        reporter.reportBadReplica(blockId, nodeId);
      } catch (RuntimeException e) {
        LOG.warn(
            "scrubber: could not report block {} again: {}", BlockId.format(blockId), e.toString());
        return; // no master now: the next round tries again
      }
    }
  }

  /**
   * Reads up to {@code budget} bytes (at least one chunk) where the last call stopped. Blocking;
   * one caller at a time.
   */
  synchronized void scrub(long budget) throws IOException {
    long left = budget;
    boolean passStarted = false;
    while (left > 0 && !closed) {
      if (cursor == null && pass.isEmpty()) {
        if (inPass) {
          inPass = false;
          passesCompleted.incrementAndGet();
        }
        if (passStarted) {
          return; // at most one new pass per call: a store of empty blocks must not spin
        }
        passStarted = true;
      }
      if (cursor == null) {
        if (!nextBlock()) {
          return;
        }
        left -= BLOCK_OPEN_COST;
      }
      left -= cursor.step();
    }
  }

  /** Opens the next block of this pass (starting a new pass when needed); false if none. */
  private boolean nextBlock() {
    if (pass.isEmpty()) {
      var blocks = store.blocks();
      if (blocks.isEmpty()) {
        return false;
      }
      blocks.stream()
          .sorted(Comparator.comparing(BlockEntry::blockId, Long::compareUnsigned))
          .forEach(pass::add);
      inPass = true;
    }
    while (!pass.isEmpty()) {
      cursor = Cursor.open(this, pass.poll());
      if (cursor != null) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void blockAdded(BlockEntry block) {}

  @Override
  public void blockRemoved(long blockId) {
    // A new copy stored under the same id later counts as a new replica.
    corrupt.remove(blockId);
  }

  private void finished(BlockEntry block) {
    blocksScanned.incrementAndGet();
    cursor = null;
  }

  private void corrupt(BlockEntry block, String why) {
    cursor = null;
    if (store.get(block.blockId()).filter(block::equals).isEmpty()) {
      return; // deleted (or replaced) while we read it: nothing to report
    }
    if (corrupt.add(block.blockId())) {
      corruptFound.incrementAndGet();
      LOG.warn("scrubber: block {} is corrupt: {}", BlockId.format(block.blockId()), why);
    }
    try {
      reporter.reportBadReplica(block.blockId(), nodeId);
    } catch (RuntimeException e) {
      LOG.warn(
          "scrubber: could not report block {}, the next pass will: {}",
          BlockId.format(block.blockId()),
          e.toString());
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (timer != null) {
      timer.cancel();
    }
    if (cursor != null) {
      cursor.close();
      cursor = null;
    }
  }

  /** Where the scrubber is inside one block. */
  private static final class Cursor {
    private final BlockScrubber scrubber;
    private final BlockEntry block;
    private final BlockChecksums checksums;
    private final BlockRegion region;
    private final FileChannel channel;
    private final ByteBuffer buffer;
    private final CRC32C crc = new CRC32C();
    private int chunk;

    private Cursor(
        BlockScrubber scrubber,
        BlockEntry block,
        BlockChecksums checksums,
        BlockRegion region,
        FileChannel channel) {
      this.scrubber = scrubber;
      this.block = block;
      this.checksums = checksums;
      this.region = region;
      this.channel = channel;
      // Zeroing a full chunk for each 4 KiB block was the scrubber's second cost after open().
      this.buffer = ByteBuffer.allocate((int) Math.min(BlockChecksums.CHUNK_SIZE, block.length()));
    }

    /** The block's cursor; null when it is corrupt (and reported) before its first chunk. */
    static Cursor open(BlockScrubber scrubber, BlockEntry block) {
      BlockStore store = scrubber.store;
      BlockChecksums checksums;
      BlockRegion region = store.region(block.blockId()).orElse(null);
      if (region == null) {
        return null; // deleted since the pass began
      }
      try {
        checksums = store.checksums(block);
      } catch (NoSuchFileException e) {
        scrubber.corrupt(block, "checksums missing");
        return null;
      } catch (IOException e) {
        scrubber.corrupt(block, "checksums unreadable: " + e.getMessage());
        return null;
      }
      try {
        return new Cursor(scrubber, block, checksums, region, FileChannel.open(region.file()));
      } catch (IOException e) {
        scrubber.corrupt(block, "data file unreadable: " + e);
        return null;
      }
    }

    /** Checks one chunk; returns the bytes read. */
    long step() throws IOException {
      int[] expected = checksums.chunkCrcs();
      if (chunk == expected.length) {
        done();
        return 1;
      }
      long offset = (long) chunk * BlockChecksums.CHUNK_SIZE;
      int length = (int) Math.min(BlockChecksums.CHUNK_SIZE, block.length() - offset);
      buffer.clear().limit(length);
      try {
        while (buffer.hasRemaining()) {
          if (channel.read(buffer, region.offset() + offset + buffer.position()) < 0) {
            fail("data file ends at " + (offset + buffer.position()) + " of " + block.length());
            return buffer.position();
          }
        }
      } catch (IOException e) {
        fail("read error at " + offset + ": " + e);
        return Math.max(1, buffer.position());
      }
      crc.reset();
      crc.update(buffer.flip());
      scrubber.bytesScanned.addAndGet(length);
      if ((int) crc.getValue() != expected[chunk]) {
        fail("chunk " + chunk + " (bytes " + offset + "+" + length + ") fails its CRC32C");
        return length;
      }
      chunk++;
      if (chunk == expected.length) {
        done();
      }
      return Math.max(1, length);
    }

    private void done() {
      close();
      scrubber.finished(block);
    }

    private void fail(String why) {
      close();
      scrubber.corrupt(block, why);
    }

    void close() {
      try {
        channel.close();
      } catch (IOException e) {
        // Read-only: nothing lost.
      }
    }
  }
}
