package io.raftfs.data.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Small blocks packed into append-only files (Haystack's and SeaweedFS's volumes): one file create,
 * rename and three fsyncs per replica were half of a data node's CPU for 4 KiB files.
 *
 * <p>One writer thread appends the records ({@link PackFormat}) of every request queued meanwhile
 * and makes them durable with a single {@code fdatasync} (group commit); each append completes only
 * after that. A delete appends a tombstone, so the block does not come back at the next start. A
 * pack is removed once none of its blocks is alive and none of its tombstones still hides a block
 * in an older pack.
 *
 * <p>Every start writes to a new pack, so a torn record (a crash in the middle of an append, never
 * acknowledged) can only be at the end of a pack no longer written; the data of the last pack of
 * the previous run is checked against its CRCs at start. Elsewhere a damaged header costs only its
 * own record: the scan finds the next valid header.
 *
 * <pre>{@code
 * BlockPacks packs = BlockPacks.open(dir.resolve("packs"), 64 << 20, loaded -> ...);
 * packs.append(blockId, data, crc32c).thenAccept(location -> index.put(blockId, location));
 * packs.remove(blockId, location);
 * }</pre>
 */
public final class BlockPacks implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BlockPacks.class);
  // pack-SEQ-MARKER; packs written before sync markers are named pack-SEQ.
  private static final Pattern NAME = Pattern.compile("pack-([0-9a-f]{16})(?:-([0-9a-f]{32}))?");

  private final Path dir;
  private final long maxPackBytes;
  private final BlockingQueue<Op> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private long lastSeq;
  private Pack active;
  private volatile boolean closed;

  /** Where a packed block's bytes are. */
  public record Location(Pack pack, long dataOffset, int length) {
    public Path file() {
      return pack.path;
    }
  }

  /** A block found at start. */
  public record Loaded(long blockId, int length, long crc32c, Location location) {}

  /** One pack file and what still needs it. Touched only by the writer thread after start. */
  public static final class Pack {
    final long seq;
    final Path path;

    /** The sync marker before every record; null in a pack written before markers. */
    final byte[] marker;

    long size;
    FileChannel channel;

    /** Appended records whose block is neither deleted nor aborted. */
    int live;

    /** Tombstones in this pack whose block is still in an older pack. */
    int pins;

    /** Packs holding tombstones of blocks in this one. */
    final List<Pack> pinnedFrom = new ArrayList<>();

    boolean deleted;

    Pack(long seq, Path path, byte[] marker) {
      this.seq = seq;
      this.path = path;
      this.marker = marker;
    }

    int recordOverhead() {
      return (marker == null ? 0 : PackFormat.MARKER_BYTES) + PackFormat.HEADER_BYTES;
    }
  }

  private sealed interface Op permits Append, Remove, Stop {}

  private record Append(long blockId, ByteBuffer data, int crc32c, CompletableFuture<Location> done)
      implements Op {}

  private record Remove(long blockId, Location location) implements Op {}

  private record Stop() implements Op {}

  private BlockPacks(Path dir, long maxPackBytes) {
    this.dir = dir;
    this.maxPackBytes = maxPackBytes;
    this.writer = new Thread(this::run, "raftfs-pack-writer");
    writer.setDaemon(true);
  }

  /**
   * Opens the packs in {@code dir} (created if needed), hands every block they hold to {@code
   * found}, removes packs nothing needs any more and starts the writer.
   *
   * @param maxPackBytes a record that would make the active pack larger goes to a new pack
   */
  public static BlockPacks open(Path dir, long maxPackBytes, Consumer<Loaded> found)
      throws IOException {
    Files.createDirectories(dir);
    BlockPacks packs = new BlockPacks(dir, maxPackBytes);
    List<Pack> all = packs.scan();
    Map<Long, Loaded> blocks = new HashMap<>();
    for (int i = 0; i < all.size(); i++) {
      packs.load(all.get(i), i == all.size() - 1, blocks);
    }
    blocks.values().forEach(found);
    for (Pack pack : all) {
      packs.collect(pack);
    }
    packs.writer.start();
    return packs;
  }

  /**
   * Appends a block; the returned location is durable when it completes (or the append failed). The
   * block stays invisible to others: this class keeps no index.
   */
  public CompletableFuture<Location> append(long blockId, ByteBuffer data, long crc32c) {
    CompletableFuture<Location> done = new CompletableFuture<>();
    if (closed) {
      done.completeExceptionally(new IOException("block store is closed"));
    } else {
      queue.add(new Append(blockId, data, (int) crc32c, done));
    }
    return done;
  }

  /** Forgets an appended block (deleted, or aborted after its append): a tombstone follows. */
  public void remove(long blockId, Location location) {
    if (!closed) {
      queue.add(new Remove(blockId, location));
    }
  }

  /** Stops the writer after the requests already queued. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    queue.add(new Stop());
    try {
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Every record of every pack in {@code dir}, in order; for tools and tests. */
  public static List<Record> records(Path dir) throws IOException {
    List<Record> records = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return records;
    }
    BlockPacks reader = new BlockPacks(dir, Long.MAX_VALUE);
    for (Pack pack : reader.scan()) {
      reader.forEachRecord(pack, false, records::add);
    }
    return records;
  }

  /** A record as found on disk. */
  public record Record(Path file, long offset, PackFormat.Header header) {
    public long dataOffset() {
      return offset + PackFormat.HEADER_BYTES;
    }
  }

  // ---- start-up

  private List<Pack> scan() throws IOException {
    List<Pack> packs = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        Matcher name = NAME.matcher(file.getFileName().toString());
        if (name.matches()) {
          byte[] marker = name.group(2) == null ? null : HexFormat.of().parseHex(name.group(2));
          packs.add(new Pack(Long.parseUnsignedLong(name.group(1), 16), file, marker));
        } else {
          LOG.warn("ignoring {}: not a pack file", file);
        }
      }
    }
    packs.sort((a, b) -> Long.compareUnsigned(a.seq, b.seq));
    lastSeq = packs.isEmpty() ? 0 : packs.get(packs.size() - 1).seq;
    return packs;
  }

  private void load(Pack pack, boolean lastWritten, Map<Long, Loaded> blocks) throws IOException {
    forEachRecord(
        pack,
        lastWritten,
        record -> {
          PackFormat.Header header = record.header();
          if (header.isBlock()) {
            Location location = new Location(pack, record.dataOffset(), header.length());
            Loaded previous =
                blocks.put(
                    header.blockId(),
                    new Loaded(
                        header.blockId(),
                        header.length(),
                        Integer.toUnsignedLong(header.crc32c()),
                        location));
            if (previous != null) {
              previous.location().pack().live--;
            }
            pack.live++;
          } else {
            Loaded removed = blocks.remove(header.blockId());
            if (removed != null) {
              removed.location().pack().live--;
              tombstoned(removed.location().pack(), pack);
            }
          }
        });
  }

  /**
   * Reads the records of {@code pack}. With {@code checkData} (the pack the previous run was
   * writing) it stops at the first record whose data does not match its CRC: a torn append.
   */
  private void forEachRecord(Pack pack, boolean checkData, Consumer<Record> action)
      throws IOException {
    try (FileChannel channel = FileChannel.open(pack.path, StandardOpenOption.READ)) {
      long size = channel.size();
      pack.size = size;
      if (size == 0) {
        return;
      }
      if (size > Integer.MAX_VALUE) {
        throw new IOException(pack.path + " is larger than 2 GiB: not written by raftfs");
      }
      MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
      int overhead = pack.recordOverhead();
      int position = 0;
      while (position + overhead <= size) {
        Optional<PackFormat.Header> header = recordAt(map, position, pack.marker);
        long end = header.isPresent() ? position + overhead + header.get().length() : -1;
        if (header.isPresent() && end <= size) {
          int dataStart = position + overhead;
          if (checkData && !crcMatches(map, dataStart, header.get())) {
            LOG.info(
                "{}: record at {} was torn by a crash; the pack ends there", pack.path, position);
            return;
          }
          action.accept(new Record(pack.path, dataStart - PackFormat.HEADER_BYTES, header.get()));
          position = (int) end;
          continue;
        }
        if (pack.marker == null) {
          // Without a marker, a header found further on may be block data a client wrote.
          LOG.warn(
              "{}: bytes from {} on are damaged; the rest of this pack (written before sync"
                  + " markers) is not read",
              pack.path,
              position);
          return;
        }
        int next = nextRecord(map, position + 1, (int) size, pack.marker);
        if (next < 0) {
          LOG.info("{}: {} bytes at the end hold no record", pack.path, size - position);
          return;
        }
        LOG.warn(
            "{}: bytes {}..{} are damaged; skipped to the next record", pack.path, position, next);
        position = next;
      }
    }
  }

  private static boolean crcMatches(ByteBuffer map, int dataStart, PackFormat.Header header) {
    CRC32C crc = new CRC32C();
    crc.update(map.slice(dataStart, header.length()));
    return (int) crc.getValue() == header.crc32c();
  }

  /**
   * The header of the record at {@code position}, if its marker (when the pack has one) is there.
   */
  private static Optional<PackFormat.Header> recordAt(ByteBuffer map, int position, byte[] marker) {
    if (marker == null) {
      return PackFormat.decode(map.position(position));
    }
    if (!PackFormat.markerAt(map, position, marker)) {
      return Optional.empty();
    }
    return PackFormat.decode(map.position(position + PackFormat.MARKER_BYTES));
  }

  /** The next position from {@code from} where the marker starts a whole record, or -1. */
  private static int nextRecord(ByteBuffer map, int from, int size, byte[] marker) {
    int overhead = PackFormat.MARKER_BYTES + PackFormat.HEADER_BYTES;
    for (int p = from; p + overhead <= size; p++) {
      if (map.get(p) != marker[0]) {
        continue;
      }
      Optional<PackFormat.Header> header = recordAt(map, p, marker);
      if (header.isPresent() && p + overhead + header.get().length() <= size) {
        return p;
      }
    }
    return -1;
  }

  // ---- the writer thread

  private void run() {
    List<Op> batch = new ArrayList<>();
    try {
      while (true) {
        batch.add(queue.take());
        queue.drainTo(batch);
        boolean stop = write(batch);
        batch.clear();
        if (stop) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      for (Op op : queue) {
        if (op instanceof Append append) {
          append.done().completeExceptionally(new IOException("block store is closed"));
        }
      }
      if (active != null) {
        retire(active);
      }
    }
  }

  /** Writes one batch, fsyncs it, completes its appends; true if a stop was among them. */
  private boolean write(List<Op> batch) {
    List<Pack> written = new ArrayList<>();
    List<Location> locations = new ArrayList<>(batch.size());
    boolean stop = false;
    try {
      for (Op op : batch) {
        if (op instanceof Append append) {
          locations.add(appendRecord(append, written));
        } else if (op instanceof Remove remove) {
          writeRecord(
              new PackFormat.Header(PackFormat.TOMBSTONE, remove.blockId(), 0, 0),
              ByteBuffer.allocate(0),
              written);
          locations.add(null);
        } else {
          stop = true;
          locations.add(null);
        }
      }
      for (Pack pack : written) {
        pack.channel.force(false);
      }
    } catch (IOException e) {
      LOG.warn("pack write failed; the next records go to a new pack", e);
      for (Op op : batch) {
        if (op instanceof Append append) {
          append.done().completeExceptionally(e);
        }
      }
      for (Pack pack : written) {
        retire(pack);
      }
      if (active != null && written.contains(active)) {
        active = null;
      }
      accountRemovals(batch, null);
      return stop;
    }
    for (Pack pack : written) {
      if (pack != active) {
        retire(pack);
      }
    }
    for (int i = 0; i < batch.size(); i++) {
      if (batch.get(i) instanceof Append append) {
        Location location = locations.get(i);
        location.pack().live++;
        append.done().complete(location);
      }
    }
    accountRemovals(batch, active);
    return stop;
  }

  private Location appendRecord(Append append, List<Pack> written) throws IOException {
    int length = append.data().remaining();
    long dataOffset =
        writeRecord(
            new PackFormat.Header(PackFormat.BLOCK, append.blockId(), length, append.crc32c()),
            append.data(),
            written);
    return new Location(written.get(written.size() - 1), dataOffset, length);
  }

  /** Writes a record to the active pack (starting one if needed); returns its data's offset. */
  private long writeRecord(PackFormat.Header header, ByteBuffer data, List<Pack> written)
      throws IOException {
    long total = PackFormat.MARKER_BYTES + PackFormat.HEADER_BYTES + (long) header.length();
    if (active == null || (active.size > 0 && active.size + total > maxPackBytes)) {
      active = newPack();
    }
    if (!written.contains(active)) {
      written.add(active);
    }
    ByteBuffer[] record = {
      ByteBuffer.wrap(active.marker), PackFormat.encode(header), data.duplicate()
    };
    long start = active.size;
    long done = 0;
    while (done < total) {
      done += active.channel.write(record);
    }
    active.size += total;
    return start + active.recordOverhead();
  }

  private Pack newPack() throws IOException {
    long seq = ++lastSeq;
    byte[] marker = PackFormat.newMarker();
    Pack pack =
        new Pack(
            seq,
            dir.resolve(String.format("pack-%016x-%s", seq, HexFormat.of().formatHex(marker))),
            marker);
    pack.channel =
        FileChannel.open(pack.path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    // The new file's name must be durable before any record in it is acknowledged.
    Durability.forceDirectory(dir);
    return pack;
  }

  /**
   * Applies the removals of a batch: {@code tombstones} is the pack their tombstones went to, null
   * if writing them failed (then they hide nothing, but the blocks are gone from the index anyway).
   */
  private void accountRemovals(List<Op> batch, Pack tombstones) {
    for (Op op : batch) {
      if (op instanceof Remove remove) {
        Pack holder = remove.location().pack();
        holder.live--;
        if (tombstones != null) {
          tombstoned(holder, tombstones);
        }
        collect(holder);
      }
    }
  }

  /** A tombstone in {@code tombstones} hides a block of {@code holder}. */
  private static void tombstoned(Pack holder, Pack tombstones) {
    if (holder != tombstones && !holder.deleted) {
      tombstones.pins++;
      holder.pinnedFrom.add(tombstones);
    }
  }

  /** Closes a pack that is no longer written to (and removes it if nothing needs it). */
  private void retire(Pack pack) {
    if (pack.channel != null) {
      try {
        pack.channel.close();
      } catch (IOException e) {
        LOG.warn("closing {}", pack.path, e);
      }
      pack.channel = null;
    }
    if (pack == active) {
      active = null;
    }
    collect(pack);
  }

  /**
   * Removes {@code pack} if no block in it is alive and none of its tombstones hides a block in an
   * older pack, then the packs whose tombstones only this one needed.
   */
  private void collect(Pack pack) {
    if (pack == active || pack.deleted || pack.live > 0 || pack.pins > 0) {
      return;
    }
    try {
      Files.deleteIfExists(pack.path);
      // Durable before a pack whose tombstones hid blocks of this one can go too.
      Durability.forceDirectory(dir);
    } catch (IOException e) {
      LOG.warn("could not remove unused pack {}", pack.path, e);
      return;
    }
    pack.deleted = true;
    for (Pack tombstones : pack.pinnedFrom) {
      tombstones.pins--;
      collect(tombstones);
    }
    pack.pinnedFrom.clear();
  }
}
