package io.raftfs.data.scrub;

import io.raftfs.data.schedule.Scheduler;
import io.raftfs.data.store.BlockChecksums;
import io.raftfs.data.store.BlockEntry;
import io.raftfs.data.store.BlockId;
import io.raftfs.data.store.BlockRegion;
import io.raftfs.data.store.BlockStore;
import io.raftfs.data.store.BlockStoreListener;
import io.raftfs.data.traffic.ClientTraffic;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads every stored block once per pass period and checks each 64 KiB chunk against the CRC32C
 * in the block's sidecar (HDFS's block scanner). Bit rot on a replica nobody reads is found this
 * way before the other replicas are lost too.
 *
 * <p>A replica that fails (a chunk mismatch, a short file, a sidecar that does not decode or does
 * not match the index) is reported to the masters through {@link BadReplicaReporter}; the leader
 * stops offering it, copies the block from a good replica and then orders this copy deleted. Until
 * then it is reported again every {@link #REPORT_AGAIN} and on every pass: the leader keeps corrupt
 * marks as soft state, so a new leader (or one that missed the report) learns it again soon.
 *
 * <p>A pass covers the blocks stored when it began, in id order; blocks stored during it were
 * checked on their way in and wait for the next. It is spread over its period ({@link ScrubPacer}:
 * what is left over the time left, under the bytes-per-second ceiling), and the next pass begins a
 * period after this one began. Where the pass is ({@link PassState}) is saved in the data directory
 * every {@link #SAVE_EVERY}, at the end of a pass and on close, so a restart goes on from there.
 *
 * <p>While clients move blocks ({@link ClientTraffic#busy}), the scrubber reads nothing: a slice in
 * progress stops at the next chunk, and no slice starts until the node has been quiet for a while.
 * The pace then catches up while the node is idle. A node that is never idle for a whole period
 * gets no pass done; its {@code yields} count says so.
 *
 * <p>Time comes from the injected {@link Scheduler} and {@link Clock}: every {@link #TICK} one
 * worker task reads what the pace allows, each block opened counting {@link #BLOCK_OPEN_COST} more,
 * continuing where the last one stopped (a block may take many ticks). A tick that finds the
 * previous one still running is skipped, so a slow disk lowers the rate instead of piling up work.
 */
public final class BlockScrubber implements BlockStoreListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BlockScrubber.class);

  /** How often a slice of scrubbing runs. */
  public static final Duration TICK = Duration.ofMillis(100);

  /** How often replicas found corrupt and still stored are reported again. */
  public static final Duration REPORT_AGAIN = Duration.ofSeconds(30);

  /**
   * How often the pass's cursor is saved while it moves: a crash repeats at most this much reading,
   * and a pass of small blocks does not fsync a file per block (HDFS saves its cursor every 10
   * minutes).
   */
  static final Duration SAVE_EVERY = Duration.ofMinutes(1);

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
  private final Clock clock;
  private final ScrubSchedule schedule;
  private final ClientTraffic traffic;
  private final ScrubPacer pacer;
  private final Path stateFile;
  private final Deque<BlockEntry> pass = new ArrayDeque<>();
  // Found corrupt and still stored: counted once in corruptFound, reported every pass.
  private final Set<Long> corrupt = ConcurrentHashMap.newKeySet();
  private final AtomicLong bytesScanned = new AtomicLong();
  private final AtomicLong blocksScanned = new AtomicLong();
  private final AtomicLong corruptFound = new AtomicLong();
  private final AtomicLong passesCompleted = new AtomicLong();
  private final AtomicLong yields = new AtomicLong();
  // Null until loaded from stateFile on the first slice; then written by slices only.
  private volatile PassState state;
  private boolean passOpen; // pass holds what is left of the state's pass
  private long passCost; // bytes plus open costs of the blocks in pass
  private long savedMillis;
  private boolean dirty;
  private Cursor cursor;
  private boolean running;
  private long ticks;
  private volatile boolean closed;
  private Scheduler.Cancellable timer;

  /**
   * @param clock wall-clock time: when passes start is kept across restarts
   * @param traffic the node's client transfers, which the scrubber stands aside for
   */
  public BlockScrubber(
      Vertx vertx,
      BlockStore store,
      String nodeId,
      BadReplicaReporter reporter,
      Scheduler scheduler,
      Clock clock,
      ScrubSchedule schedule,
      ClientTraffic traffic) {
    this.vertx = vertx;
    this.store = store;
    this.nodeId = nodeId;
    this.reporter = reporter;
    this.scheduler = scheduler;
    this.clock = clock;
    this.schedule = schedule;
    this.traffic = traffic;
    this.pacer = new ScrubPacer(schedule.period(), schedule.maxBytesPerSecond(), TICK);
    this.stateFile = store.layout().scrubberPassFile();
  }

  /** Starts ticking on the calling Vert.x context; does nothing when the schedule is off. */
  public void start() {
    store.addListener(this);
    if (schedule.enabled()) {
      timer = scheduler.every(TICK, this::tick);
      LOG.info(
          "scrubber reads every block once per {} at most {} bytes/s, after {} without clients",
          schedule.period(),
          schedule.maxBytesPerSecond(),
          schedule.quiet());
    }
  }

  /** What the scrubber has done since the node started. */
  public ScrubStats stats() {
    return new ScrubStats(
        schedule.enabled() ? schedule.maxBytesPerSecond() : 0,
        schedule.period().toMillis(),
        bytesScanned.get(),
        blocksScanned.get(),
        corruptFound.get(),
        passesCompleted.get(),
        yields.get());
  }

  private void tick() {
    if (running || closed) {
      return;
    }
    boolean reportAgain = ++ticks % TICKS_PER_REPORT == 0;
    PassState current = state;
    boolean waiting =
        current != null
            && current.finished()
            && clock.millis() < pacer.due(current.startedMillis());
    boolean busy = !waiting && traffic.busy(schedule.quiet());
    if (busy) {
      yields.incrementAndGet();
    }
    boolean read = !waiting && !busy;
    if (!read && !reportAgain) {
      return;
    }
    running = true;
    vertx
        .executeBlocking(
            () -> {
              if (reportAgain) {
                reportKnownCorrupt();
              }
              if (read) {
                slice();
              } else {
                yielded();
              }
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

  /** One tick's reading: what the pace allows, in the pass under way or one now due. Blocking. */
  synchronized void slice() throws IOException {
    long now = clock.millis();
    if (!openPass(now)) {
      return;
    }
    long remaining = passCost + (cursor == null ? 0 : cursor.remainingBytes());
    long budget = pacer.allow(pacer.rate(state.startedMillis(), now, remaining));
    if (budget > 0) {
      pacer.spent(scrub(budget));
    }
  }

  private synchronized void yielded() {
    pacer.yielded();
  }

  /**
   * Reads up to {@code budget} (at least one chunk) where the last call stopped, in the pass under
   * way or one now due; returns what it spent. A pass that ends ends the call. Blocking; one caller
   * at a time.
   */
  synchronized long scrub(long budget) throws IOException {
    long now = clock.millis();
    if (!openPass(now)) {
      return 0;
    }
    long left = budget;
    while (left > 0 && !closed) {
      if (traffic.busy(Duration.ZERO)) {
        break; // a client's transfer began: the rest waits until it is over
      }
      if (cursor == null) {
        if (!nextBlock()) {
          break;
        }
        left -= BLOCK_OPEN_COST;
      }
      left -= cursor.step();
    }
    if (cursor == null && pass.isEmpty()) {
      finishPass();
    }
    if (dirty && clock.millis() - savedMillis >= SAVE_EVERY.toMillis()) {
      save();
    }
    return budget - left;
  }

  /**
   * Makes {@link #pass} hold what is left of the pass under way, beginning one if it is due; false
   * when the last pass is over and the next not yet due.
   */
  private boolean openPass(long now) throws IOException {
    if (state == null) {
      state = loadState();
    }
    if (passOpen) {
      return true;
    }
    if (state != null && state.finished()) {
      if (now < pacer.due(state.startedMillis())) {
        return false;
      }
      state = null;
    }
    if (state == null) {
      state = PassState.begin(now);
      save();
    }
    OptionalLong after = state.cursor();
    store.blocks().stream()
        .filter(b -> after.isEmpty() || Long.compareUnsigned(b.blockId(), after.getAsLong()) > 0)
        .sorted(Comparator.comparing(BlockEntry::blockId, Long::compareUnsigned))
        .forEach(pass::add);
    passCost = pass.stream().mapToLong(BlockScrubber::cost).sum();
    passOpen = true;
    return true;
  }

  private PassState loadState() {
    try {
      return PassState.load(stateFile).orElse(null);
    } catch (IOException e) {
      LOG.warn("scrubber: {}; starting a new pass", e.getMessage());
      return null;
    }
  }

  private static long cost(BlockEntry block) {
    return block.length() + BLOCK_OPEN_COST;
  }

  /** Opens the next block of this pass; false when the pass has none left. */
  private boolean nextBlock() {
    while (!pass.isEmpty()) {
      BlockEntry block = pass.poll();
      passCost -= cost(block);
      cursor = Cursor.open(this, block);
      if (cursor != null) {
        return true;
      }
      done(block); // deleted since the pass began, or corrupt before its first chunk
    }
    return false;
  }

  private void finishPass() throws IOException {
    passOpen = false;
    passCost = 0;
    state = state.finish();
    passesCompleted.incrementAndGet();
    save();
  }

  private void save() throws IOException {
    state.save(stateFile);
    savedMillis = clock.millis();
    dirty = false;
  }

  /** The pass is past {@code block}: a restart goes on after it. */
  private void done(BlockEntry block) {
    state = state.advance(block.blockId());
    dirty = true;
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
    done(block);
  }

  private void corrupt(BlockEntry block, String why) {
    if (cursor != null) {
      cursor = null;
      done(block);
    }
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

  /** Stops ticking and saves where the pass is. Blocking: waits for a slice in progress. */
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
    if (dirty) {
      try {
        save();
      } catch (IOException e) {
        LOG.warn("scrubber: could not save where the pass is: {}", e.toString());
      }
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

    /** Bytes of the block not checked yet. */
    long remainingBytes() {
      return Math.max(0, block.length() - (long) chunk * BlockChecksums.CHUNK_SIZE);
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
