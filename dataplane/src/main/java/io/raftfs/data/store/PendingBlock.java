package io.raftfs.data.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * One block being written: space is reserved and the bytes go to a temp file. It ends in exactly
 * one of {@link #commit()} or {@link #abort()}. The blocking methods run on a worker thread.
 *
 * <p>Crash safety: the block becomes visible only by the rename of its data file, which happens
 * after data and sidecar are fsynced and the sidecar is in place; a crash before that leaves temp
 * files (removed at start) or a lone sidecar (removed at start).
 */
public final class PendingBlock {
  private final BlockStore store;
  private final long blockId;
  private final long length;
  private final Path tempData;
  private final Path tempSidecar;
  private BlockChecksums checksums;
  private boolean dataForced;
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
   * Writes the whole block to the temp file at once (small blocks, no streaming) and fsyncs it
   * while it is open. Blocking.
   */
  public synchronized void writeTempFile(ByteBuffer content) throws IOException {
    if (finished) {
      throw new IOException("block " + BlockId.format(blockId) + ": upload already ended");
    }
    Durability.writeNewFile(tempData, content);
    dataForced = true;
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
    if (!dataForced) {
      Durability.forceFile(tempData);
    }
    Durability.writeNewFile(tempSidecar, SidecarFormat.encode(checksums));
    this.checksums = checksums;
  }

  /** Makes the prepared block visible and durable, and adds it to the index. Blocking. */
  public synchronized BlockEntry commit() throws IOException {
    if (checksums == null || finished) {
      throw new IllegalStateException("commit of an unprepared or finished block");
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
    return store.committed(this, new BlockEntry(blockId, length, checksums.crc32c()));
  }

  /** Drops the temp files and the space reservation; safe to call in any state. Blocking. */
  public synchronized void abort() {
    if (finished) {
      return;
    }
    finished = true;
    try {
      Files.deleteIfExists(tempData);
      Files.deleteIfExists(tempSidecar);
    } catch (IOException e) {
      // The start-up sweep of the temp dir removes what is left.
      BlockStore.LOG.warn("could not delete temp files of block {}", blockId, e);
    }
    store.aborted(this);
  }
}
