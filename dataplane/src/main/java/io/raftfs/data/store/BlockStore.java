package io.raftfs.data.store;

import io.raftfs.protocol.DataNodeProtocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blocks of one data node on local disk, with an in-memory index loaded at start. Blocks are
 * immutable: written once through a {@link PendingBlock}, read through their {@link #region},
 * deleted whole. A block of at most {@link #PACKED_MAX_BYTES} is appended to a pack file ({@link
 * BlockPacks}); a larger one gets a file of its own and a checksum sidecar.
 *
 * <p>All methods that touch the disk block; callers on an event loop run them on a worker.
 */
public final class BlockStore implements AutoCloseable {
  static final Logger LOG = LoggerFactory.getLogger(BlockStore.class);

  /**
   * Blocks up to this size go to packs. At most one checksum chunk, so a packed block's only chunk
   * CRC is the block's CRC.
   */
  public static final int PACKED_MAX_BYTES =
      Math.min(DataNodeProtocol.SMALL_BLOCK_MAX_BYTES, BlockChecksums.CHUNK_SIZE);

  /**
   * Size at which a pack is closed and the next one started. Small enough that a pack whose blocks
   * are mostly deleted holds little space; large enough that a million small blocks need few files.
   */
  static final long MAX_PACK_BYTES = 64L << 20;

  /** What the index holds: the block and, for a packed block, where its bytes are. */
  private record Stored(BlockEntry entry, BlockPacks.Location packed) {}

  private final BlockLayout layout;
  private final CapacityTracker capacity;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Map<Long, Stored> index = new ConcurrentHashMap<>();
  private final Set<Long> writing = ConcurrentHashMap.newKeySet();
  private final List<BlockStoreListener> listeners = new CopyOnWriteArrayList<>();
  private BlockPacks packs;

  private BlockStore(
      BlockLayout layout,
      OptionalLong capacityBytes,
      long reserveBytes,
      FileChannel lockChannel,
      FileLock lock)
      throws IOException {
    this.layout = layout;
    this.lockChannel = lockChannel;
    this.lock = lock;
    FileStore fileStore = Files.getFileStore(layout.root());
    this.capacity =
        new CapacityTracker(
            capacityBytes,
            reserveBytes,
            () -> {
              try {
                return fileStore.getUsableSpace();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
  }

  /**
   * Opens (creating if needed) the store in {@code dir}: takes the directory lock, removes temp
   * files of interrupted uploads and indexes the stored blocks.
   *
   * @throws IOException with a message naming the directory if it is unusable or already in use
   */
  public static BlockStore open(Path dir, OptionalLong capacityBytes, long reserveBytes)
      throws IOException {
    BlockLayout layout = new BlockLayout(dir);
    try {
      Files.createDirectories(dir);
      Files.createDirectories(layout.tempDir());
      Files.createDirectories(layout.blocksDir());
    } catch (IOException e) {
      throw new IOException("cannot create data directory " + dir + ": " + e, e);
    }
    if (!Files.isWritable(dir) || !Files.isWritable(layout.tempDir())) {
      throw new IOException("data directory " + dir + " is not writable");
    }
    FileChannel lockChannel =
        FileChannel.open(layout.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      lockChannel.close();
      throw new IOException("data directory " + dir + " is in use by another data node");
    }
    BlockStore store = new BlockStore(layout, capacityBytes, reserveBytes, lockChannel, lock);
    try {
      store.removeTempFiles();
      store.loadIndex();
      store.packs = BlockPacks.open(layout.packsDir(), MAX_PACK_BYTES, store::loadPacked);
    } catch (IOException | RuntimeException e) {
      store.close();
      throw e;
    }
    return store;
  }

  public BlockLayout layout() {
    return layout;
  }

  public void addListener(BlockStoreListener listener) {
    listeners.add(listener);
  }

  public Optional<BlockEntry> get(long blockId) {
    return Optional.ofNullable(index.get(blockId)).map(Stored::entry);
  }

  /** Where a stored block's bytes are on disk. */
  public Optional<BlockRegion> region(long blockId) {
    Stored stored = index.get(blockId);
    if (stored == null) {
      return Optional.empty();
    }
    if (stored.packed() != null) {
      return Optional.of(
          new BlockRegion(
              stored.packed().file(), stored.packed().dataOffset(), stored.entry().length()));
    }
    return Optional.of(new BlockRegion(layout.dataFile(blockId), 0, stored.entry().length()));
  }

  /**
   * The checksums stored with {@code block}, read from disk (its sidecar, or its pack record's
   * header): what a scrubber checks the bytes against. Blocking.
   *
   * @throws IOException if they cannot be read, are damaged or do not describe {@code block}
   */
  public BlockChecksums checksums(BlockEntry block) throws IOException {
    Stored stored = index.get(block.blockId());
    if (stored == null) {
      throw new java.nio.file.NoSuchFileException("block " + BlockId.format(block.blockId()));
    }
    BlockChecksums checksums;
    if (stored.packed() == null) {
      checksums =
          SidecarFormat.decode(
              ByteBuffer.wrap(Files.readAllBytes(layout.sidecarFile(block.blockId()))));
    } else {
      checksums = packedChecksums(block.blockId(), stored.packed());
    }
    if (checksums.length() != block.length() || checksums.crc32c() != block.crc32c()) {
      throw new IOException("stored checksums do not match the index");
    }
    return checksums;
  }

  private static BlockChecksums packedChecksums(long blockId, BlockPacks.Location location)
      throws IOException {
    ByteBuffer header = ByteBuffer.allocate(PackFormat.HEADER_BYTES);
    try (FileChannel channel = FileChannel.open(location.file(), StandardOpenOption.READ)) {
      long offset = location.dataOffset() - PackFormat.HEADER_BYTES;
      while (header.hasRemaining()) {
        if (channel.read(header, offset + header.position()) < 0) {
          throw new IOException("pack ends inside the record header");
        }
      }
    }
    PackFormat.Header decoded =
        PackFormat.decode(header.flip())
            .filter(h -> h.isBlock() && h.blockId() == blockId)
            .orElseThrow(() -> new IOException("pack record header damaged"));
    return BlockChecksums.ofSingleChunk(decoded.length(), Integer.toUnsignedLong(decoded.crc32c()));
  }

  public List<BlockEntry> blocks() {
    return index.values().stream().map(Stored::entry).toList();
  }

  public StoreStats stats() {
    return capacity.stats();
  }

  /** Starts a write: checks the block is new and reserves its space, before any byte is written. */
  public PendingBlock begin(long blockId, long length)
      throws BlockExistsException, InsufficientSpaceException {
    if (index.containsKey(blockId)) {
      throw new BlockExistsException("block " + BlockId.format(blockId) + " is already stored");
    }
    if (!writing.add(blockId)) {
      throw new BlockExistsException(
          "block " + BlockId.format(blockId) + " is being uploaded by another request");
    }
    try {
      capacity.reserve(length);
    } catch (InsufficientSpaceException e) {
      writing.remove(blockId);
      throw e;
    }
    return new PendingBlock(this, blockId, length, layout.newTempFile(blockId));
  }

  /** Removes a stored block; false if there is none. Blocking. */
  public boolean delete(long blockId) throws IOException {
    Stored stored = index.remove(blockId);
    if (stored == null) {
      return false;
    }
    if (stored.packed() != null) {
      packs.remove(blockId, stored.packed());
    } else {
      // Data first: a data file without its sidecar never exists, a lone sidecar is swept at start.
      Files.deleteIfExists(layout.dataFile(blockId));
      Files.deleteIfExists(layout.sidecarFile(blockId));
    }
    capacity.removed(stored.entry().length());
    listeners.forEach(l -> l.blockRemoved(blockId));
    return true;
  }

  @Override
  public void close() throws IOException {
    if (packs != null) {
      packs.close();
    }
    try {
      lock.release();
    } finally {
      lockChannel.close();
    }
  }

  /** The block's bucket directory, created on first use (and made durable, like any entry). */
  Path ensureBucket(long blockId) throws IOException {
    Path bucket = layout.bucket(blockId);
    if (!Files.isDirectory(bucket)) {
      Files.createDirectories(bucket);
      Durability.forceDirectory(bucket.getParent());
      Durability.forceDirectory(layout.blocksDir());
    }
    return bucket;
  }

  /** Appends a small block to the active pack; durable when the location arrives. */
  CompletableFuture<BlockPacks.Location> appendPacked(
      long blockId, ByteBuffer content, long crc32c) {
    return packs.append(blockId, content, crc32c);
  }

  /** Forgets a packed block that was appended but never committed. */
  void discardPacked(long blockId, BlockPacks.Location location) {
    packs.remove(blockId, location);
  }

  BlockEntry committed(PendingBlock pending, BlockEntry entry, BlockPacks.Location packed) {
    index.put(entry.blockId(), new Stored(entry, packed));
    writing.remove(entry.blockId());
    capacity.commit(entry.length());
    listeners.forEach(l -> l.blockAdded(entry));
    return entry;
  }

  void aborted(PendingBlock pending) {
    writing.remove(pending.blockId());
    capacity.release(pending.length());
  }

  void discardVisible(long blockId) {
    try {
      Files.deleteIfExists(layout.dataFile(blockId));
      Files.deleteIfExists(layout.sidecarFile(blockId));
    } catch (IOException e) {
      LOG.warn("could not remove unacknowledged block {}", BlockId.format(blockId), e);
    }
  }

  private void removeTempFiles() throws IOException {
    try (DirectoryStream<Path> temps = Files.newDirectoryStream(layout.tempDir())) {
      for (Path temp : temps) {
        LOG.info("removing {} left by an interrupted upload", temp.getFileName());
        Files.delete(temp);
      }
    }
  }

  private void loadIndex() throws IOException {
    for (Path outer : list(layout.blocksDir())) {
      if (!Files.isDirectory(outer)) {
        continue;
      }
      for (Path bucket : list(outer)) {
        for (Path file : list(bucket)) {
          loadEntry(file);
        }
      }
    }
    LOG.info("indexed {} blocks in {}", index.size(), layout.root());
  }

  private void loadEntry(Path file) throws IOException {
    String name = file.getFileName().toString();
    if (name.endsWith(BlockLayout.SIDECAR_SUFFIX)) {
      String dataName = name.substring(0, name.length() - BlockLayout.SIDECAR_SUFFIX.length());
      if (!Files.exists(file.resolveSibling(dataName))) {
        // Left by a commit or a delete that a crash interrupted: the block was never visible.
        Files.delete(file);
      }
      return;
    }
    OptionalLong id = BlockLayout.blockIdOfDataFile(name);
    if (id.isEmpty() || !file.getParent().equals(layout.bucket(id.getAsLong()))) {
      quarantine(file, "unexpected file");
      return;
    }
    Path sidecar = layout.sidecarFile(id.getAsLong());
    try {
      BlockChecksums checksums = SidecarFormat.decode(ByteBuffer.wrap(Files.readAllBytes(sidecar)));
      long size = Files.size(file);
      if (size != checksums.length()) {
        throw new IOException(
            "data file has " + size + " bytes, sidecar says " + checksums.length());
      }
      index.put(
          id.getAsLong(),
          new Stored(new BlockEntry(id.getAsLong(), checksums.length(), checksums.crc32c()), null));
      capacity.added(checksums.length());
    } catch (IOException e) {
      quarantine(file, e.toString());
      if (Files.exists(sidecar)) {
        quarantine(sidecar, "sidecar of a quarantined block");
      }
    }
  }

  private void loadPacked(BlockPacks.Loaded loaded) {
    BlockEntry entry = new BlockEntry(loaded.blockId(), loaded.length(), loaded.crc32c());
    if (index.putIfAbsent(loaded.blockId(), new Stored(entry, loaded.location())) != null) {
      // Only a hand-made copy could do this: the file is what the masters were told about.
      LOG.warn(
          "block {} is both in a file and in a pack; using the file",
          BlockId.format(loaded.blockId()));
      return;
    }
    capacity.added(loaded.length());
  }

  private void quarantine(Path file, String why) throws IOException {
    LOG.warn("moving {} to {}: {}", file, layout.corruptDir(), why);
    Files.createDirectories(layout.corruptDir());
    Files.move(
        file,
        layout.corruptDir().resolve(file.getFileName() + "." + System.nanoTime()),
        StandardCopyOption.ATOMIC_MOVE);
  }

  private static List<Path> list(Path dir) throws IOException {
    List<Path> paths = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      entries.forEach(paths::add);
    }
    return paths;
  }
}
