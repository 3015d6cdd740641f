package io.raftfs.data.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CompletableFuture;

/**
 * One block being written: space is reserved, then the bytes go either to a temp file (streamed,
 * then {@link #prepare}) or, for a block of at most {@link BlockStore#PACKED_MAX_BYTES}, at once to
 * a pack ({@link #prepareInPack}). It ends in exactly one of {@link #commit()} or {@link #abort()}.
 * The blocking methods run on a worker thread.
 *
 * <p>Crash safety: a block in its own file becomes visible only by the rename of its data file,
 * which happens after data and sidecar are fsynced and the sidecar is in place; a crash before that
 * leaves temp files (removed at start) or a lone sidecar (removed at start). A packed block is
 * durable once prepared and visible once committed; a crash in between leaves a record that comes
 * back at start as a block the masters never committed, which they order deleted like any orphan.
 */
public final class PendingBlock {
  private final BlockStore store;
  private final long blockId;
  private final long length;
  private final Path tempData;
  private final Path tempSidecar;
  private BlockChecksums checksums;
  private BlockPacks.Location packed;
  private boolean finished;

  PendingBlock(BlockStore store, long blockId, long length, Path tempData) {
    this.store = store;
    this.blockId = blockId;
    this.length = length;
    this.tempData = tempData;
    this.tempSidecar = tempData.resolveSibling(tempData.getFileName() + BlockLayout.SIDECAR_SUFFIX);
  }

  public long blockId() {
    return blockId;
  }

  public long length() {
    return length;
  }

  /** Where the caller streams the block's bytes. */
  public Path tempFile() {
    return tempData;
  }

  /**
   * Appends the whole block to a pack and completes once it is durable, still invisible. Not
   * blocking: the pack's writer thread does the I/O.
   */
  public CompletableFuture<Void> prepareInPack(ByteBuffer content, BlockChecksums checksums) {
    synchronized (this) {
      if (finished || content.remaining() != length || checksums.length() != length) {
        return CompletableFuture.failedFuture(
            new IOException(
                "block "
                    + BlockId.format(blockId)
                    + ": cannot pack "
                    + content.remaining()
                    + " bytes of a "
                    + length
                    + "-byte block"));
      }
    }
    return store
        .appendPacked(blockId, content, checksums.crc32c())
        .thenAccept(
            location -> {
              synchronized (this) {
                if (finished) {
                  store.discardPacked(blockId, location); // aborted while it was written
                } else {
                  this.packed = location;
                  this.checksums = checksums;
                }
              }
            });
  }

  /**
   * Makes the written bytes and their checksums durable, still invisible. Blocking.
   *
   * @throws IOException if the temp file does not hold exactly {@link #length()} bytes or a write
   *     or fsync fails
   */
  public synchronized void prepare(BlockChecksums checksums) throws IOException {
    if (finished) {
      throw new IOException("block " + BlockId.format(blockId) + ": upload already ended");
    }
    long size = Files.size(tempData);
    if (size != length || checksums.length() != length) {
      throw new IOException(
          "block " + BlockId.format(blockId) + ": wrote " + size + " bytes, expected " + length);
    }
    Durability.forceFile(tempData);
    Durability.writeNewFile(tempSidecar, SidecarFormat.encode(checksums));
    this.checksums = checksums;
  }

  /**
   * Makes the prepared block visible and durable, and adds it to the index. Blocking for a block in
   * its own file; for a packed block only the index changes.
   */
  public synchronized BlockEntry commit() throws IOException {
    if (checksums == null || finished) {
      throw new IllegalStateException("commit of an unprepared or finished block");
    }
    BlockEntry entry = new BlockEntry(blockId, length, checksums.crc32c());
    if (packed != null) {
      finished = true;
      return store.committed(this, entry, packed);
    }
    BlockLayout layout = store.layout();
    Path bucket = store.ensureBucket(blockId);
    Files.move(tempSidecar, layout.sidecarFile(blockId), StandardCopyOption.ATOMIC_MOVE);
    try {
      Files.move(tempData, layout.dataFile(blockId), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      Files.deleteIfExists(layout.sidecarFile(blockId));
      throw e;
    }
    finished = true;
    try {
      Durability.forceDirectory(bucket);
    } catch (IOException e) {
      // Visible but maybe not durable: undo, so nothing unacknowledged stays behind.
      store.discardVisible(blockId);
      store.aborted(this);
      throw e;
    }
    return store.committed(this, entry, null);
  }

  /** Drops the temp files and the space reservation; safe to call in any state. Blocking. */
  public synchronized void abort() {
    if (finished) {
      return;
    }
    finished = true;
    if (packed != null) {
      store.discardPacked(blockId, packed);
    } else {
      try {
        Files.deleteIfExists(tempData);
        Files.deleteIfExists(tempSidecar);
      } catch (IOException e) {
        // The start-up sweep of the temp dir removes what is left.
        BlockStore.LOG.warn("could not delete temp files of block {}", blockId, e);
      }
    }
    store.aborted(this);
  }
}
