package io.raftfs.client.transfer;

import io.raftfs.proto.BlockInfo;
import io.raftfs.proto.FileStatus;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A new file written as a stream: each block is uploaded as soon as it is full, while the next one
 * fills, and the file appears (or replaces the old one) only when {@link #close()} commits the
 * block list. A stream that fails or is {@linkplain #abort() aborted} commits nothing; its blocks
 * are orphans the masters delete.
 *
 * <pre>{@code
 * try (BlockOutputStream out = fs.create("/logs/app.log", PutOptions.defaults())) {
 *   out.write(bytes);
 * } // the file is there now
 * }</pre>
 *
 * <p>A block of up to {@link Transfers#IN_MEMORY_BLOCK_BYTES} fills in memory, a larger one in a
 * temporary file; at most the transfer parallelism plus two blocks exist at once, and a writer
 * faster than the uploads waits. Not thread-safe: one writer.
 */
public final class BlockOutputStream extends OutputStream {
  /** Commits the uploaded blocks as the file. */
  @FunctionalInterface
  public interface Commit {
    FileStatus commit(List<BlockInfo> blocks) throws IOException;
  }

  /** How often a writer waiting for the uploads looks whether they failed. */
  private static final long HANDOFF_CHECK_MS = 100;

  private static final BlockSlice END = new BlockSlice.InMemory(-1, new byte[0]);

  private final long blockSize;
  private final Commit commit;
  private final BlockingQueue<BlockSlice> handoff = new ArrayBlockingQueue<>(1);
  private final Future<List<BlockInfo>> uploads;
  private final byte[] single = new byte[1];
  private byte[] head;
  private int headLength;
  private Path spill;
  private FileChannel spillChannel;
  private long blockLength;
  private int index;
  private boolean closed;
  private FileStatus committed;

  /**
   * Starts the uploads of {@code path} on {@code pool}.
   *
   * @param upload uploads what the stream hands over, without committing
   */
  public BlockOutputStream(
      FileUpload upload,
      ExecutorService pool,
      String path,
      int replication,
      long blockSize,
      boolean overwrite,
      Commit commit) {
    this.blockSize = blockSize;
    this.commit = commit;
    this.uploads =
        pool.submit(() -> upload.upload(new HandedOver(), path, replication, overwrite, n -> {}));
  }

  @Override
  public void write(int b) throws IOException {
    single[0] = (byte) b;
    write(single, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
    Objects.checkFromIndexSize(offset, length, bytes.length);
    try {
      while (length > 0) {
        int n = (int) Math.min(length, blockSize - blockLength);
        append(bytes, offset, n);
        offset += n;
        length -= n;
        if (blockLength == blockSize) {
          handOver(finishBlock());
        }
      }
    } catch (IOException | RuntimeException e) {
      abort();
      throw e;
    }
  }

  /**
   * Hands over the last block, waits for every upload and commits the file; a second call does
   * nothing.
   *
   * @throws IOException when a block could not be stored or the commit was refused (e.g. {@link
   *     io.raftfs.client.meta.PathExistsException} without overwrite); nothing was committed
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    try {
      if (blockLength > 0) {
        handOver(finishBlock());
      }
      handOver(END);
      closed = true;
      committed = commit.commit(Transfers.await(uploads));
    } catch (IOException | RuntimeException e) {
      abort();
      throw e;
    }
  }

  /** The committed file's status, once {@link #close()} returned; else null. */
  public FileStatus committed() {
    return committed;
  }

  /** Gives up the file: stops the uploads, frees the blocks held here, commits nothing. */
  public void abort() {
    closed = true;
    uploads.cancel(true);
    for (BlockSlice slice; (slice = handoff.poll()) != null; ) {
      releaseQuietly(slice);
    }
    discardSpill();
  }

  private void append(byte[] bytes, int offset, int length) throws IOException {
    int inMemory = (int) Math.min(blockSize, Transfers.IN_MEMORY_BLOCK_BYTES);
    if (spill == null && headLength + length <= inMemory) {
      if (head == null) {
        head = new byte[inMemory];
      }
      System.arraycopy(bytes, offset, head, headLength, length);
      headLength += length;
    } else {
      if (spill == null) {
        spill = TempFiles.track(Files.createTempFile("raftfs-create-", ".block"));
        spillChannel = FileChannel.open(spill, StandardOpenOption.WRITE);
        writeFully(ByteBuffer.wrap(head, 0, headLength));
      }
      writeFully(ByteBuffer.wrap(bytes, offset, length));
    }
    blockLength += length;
  }

  private void writeFully(ByteBuffer bytes) throws IOException {
    while (bytes.hasRemaining()) {
      spillChannel.write(bytes);
    }
  }

  private BlockSlice finishBlock() throws IOException {
    BlockSlice slice;
    if (spill == null) {
      slice = new BlockSlice.InMemory(index++, Arrays.copyOf(head, headLength));
    } else {
      spillChannel.close();
      slice = new BlockSlice.FileRegion(index++, spill, 0, blockLength, true);
      spill = null;
      spillChannel = null;
    }
    headLength = 0;
    blockLength = 0;
    return slice;
  }

  /** Waits until the uploads take {@code slice}; fails as soon as they have failed. */
  private void handOver(BlockSlice slice) throws IOException {
    try {
      while (!handoff.offer(slice, HANDOFF_CHECK_MS, TimeUnit.MILLISECONDS)) {
        if (uploads.isDone()) {
          releaseQuietly(slice);
          Transfers.await(uploads); // throws what stopped them
          throw new IOException("uploads ended before the last block");
        }
      }
    } catch (InterruptedException e) {
      releaseQuietly(slice);
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for block uploads");
    }
  }

  private void discardSpill() {
    if (spill != null) {
      try {
        spillChannel.close();
        TempFiles.delete(spill);
      } catch (IOException e) {
        // A temporary file left behind is deleted at exit (TempFiles).
      }
      spill = null;
      spillChannel = null;
    }
  }

  private static void releaseQuietly(BlockSlice slice) {
    try {
      slice.release();
    } catch (IOException e) {
      // A temporary file left behind is deleted at exit (TempFiles).
    }
  }

  /** The uploads' side of the handoff: blocks in the order the writer finished them. */
  private final class HandedOver implements SliceSource {
    private boolean ended;

    @Override
    public BlockSlice next() throws IOException {
      if (ended) {
        return null;
      }
      try {
        BlockSlice slice = handoff.take();
        if (slice == END) {
          ended = true;
          return null;
        }
        ended = handoff.peek() == END;
        return slice;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("upload cancelled");
      }
    }

    @Override
    public long totalBytes() {
      return -1;
    }

    @Override
    public boolean ended() {
      return ended;
    }

    @Override
    public void close() {}
  }
}
