package io.raftfs.data.store;

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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blocks of one data node on local disk, with an in-memory index loaded at start. Blocks are
 * immutable: written once through a {@link PendingBlock}, read by path, deleted whole.
 *
 * <p>All methods that touch the disk block; callers on an event loop run them on a worker.
 */
public final class BlockStore implements AutoCloseable {
  static final Logger LOG = LoggerFactory.getLogger(BlockStore.class);

  private final BlockLayout layout;
  private final CapacityTracker capacity;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Map<Long, BlockEntry> index = new ConcurrentHashMap<>();
  private final Set<Long> writing = ConcurrentHashMap.newKeySet();
  private final List<BlockStoreListener> listeners = new CopyOnWriteArrayList<>();

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
    return Optional.ofNullable(index.get(blockId));
  }

  public Path dataFile(long blockId) {
    return layout.dataFile(blockId);
  }

  public List<BlockEntry> blocks() {
    return List.copyOf(index.values());
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
    BlockEntry removed = index.remove(blockId);
    if (removed == null) {
      return false;
    }
    // Data first: a data file without its sidecar never exists, a lone sidecar is swept at start.
    Files.deleteIfExists(layout.dataFile(blockId));
    Files.deleteIfExists(layout.sidecarFile(blockId));
    capacity.removed(removed.length());
    listeners.forEach(l -> l.blockRemoved(blockId));
    return true;
  }

  @Override
  public void close() throws IOException {
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

  BlockEntry committed(PendingBlock pending, BlockEntry entry) {
    index.put(entry.blockId(), entry);
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
          id.getAsLong(), new BlockEntry(id.getAsLong(), checksums.length(), checksums.crc32c()));
      capacity.added(checksums.length());
    } catch (IOException e) {
      quarantine(file, e.toString());
      if (Files.exists(sidecar)) {
        quarantine(sidecar, "sidecar of a quarantined block");
      }
    }
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
