package io.raftfs.client.transfer;

import io.raftfs.client.meta.MetaClient;
import io.raftfs.proto.BlockLocations;
import io.raftfs.proto.FileStatus;
import io.raftfs.proto.LocatedBlock;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Reads any range of one committed file, as the blocks located when it was opened hold it: a file
 * replaced or deleted afterwards is still read as it was while its blocks live. Ranges spanning
 * several blocks are read from their data nodes in parallel, as a get does.
 *
 * <pre>{@code
 * PositionedReader file = fs.open("/logs/app.log");
 * byte[] tail = new byte[4096];
 * file.readFully(file.length() - tail.length, tail, 0, tail.length);
 * CompletableFuture<ByteBuffer> head = file.readAsync(0, 512, ByteBuffer::allocate);
 * }</pre>
 *
 * <p>A read of a whole block is checked against the block's CRC32C; a read of part of a block is
 * checked for its length only (the data nodes verify their chunk checksums when they store and
 * scrub blocks). Thread-safe.
 */
public final class PositionedReader {
  private final BlockLocations file;
  private final long[] offsets;
  private final BlockDownloader downloader;
  private final ExecutorService pool;

  /**
   * Reads {@code file}, whose block list must cover its length.
   *
   * @param pool runs the reads of blocks beyond the first and {@link #readAsync}
   */
  public PositionedReader(
      BlockLocations file, MetaClient meta, DataNodeClient dataNodes, ExecutorService pool)
      throws IOException {
    FileDownload.requireComplete(file);
    this.file = file;
    this.offsets = file.getBlocksList().stream().mapToLong(LocatedBlock::getOffset).toArray();
    this.downloader = new BlockDownloader(meta, dataNodes, file.getStatus().getPath(), n -> {});
    this.pool = pool;
  }

  public FileStatus status() {
    return file.getStatus();
  }

  public long length() {
    return file.getStatus().getLength();
  }

  /** The blocks with the replicas known when the file was opened, in file order. */
  public List<LocatedBlock> blocks() {
    return file.getBlocksList();
  }

  /**
   * Reads up to {@code length} bytes at {@code position}, no further than the end of the block that
   * holds {@code position}.
   *
   * @return the bytes read, or -1 when {@code position} is at or past the end of the file
   */
  public int read(long position, byte[] buffer, int offset, int length) throws IOException {
    checkRange(position, buffer, offset, length);
    if (position >= length()) {
      return -1;
    }
    if (length == 0) {
      return 0;
    }
    LocatedBlock block = blockAt(position);
    long inBlock = position - block.getOffset();
    int n = (int) Math.min(length, block.getBlock().getLength() - inBlock);
    downloader.download(block, inBlock, n, into(buffer, offset));
    return n;
  }

  /**
   * Reads exactly {@code length} bytes at {@code position}; the blocks of a range that spans
   * several are read in parallel.
   *
   * @throws EOFException when the range reaches past the end of the file; nothing is read
   */
  public void readFully(long position, byte[] buffer, int offset, int length) throws IOException {
    checkRange(position, buffer, offset, length);
    if (position + length > length()) {
      throw new EOFException(
          status().getPath()
              + ": "
              + length
              + " bytes at "
              + position
              + " reach past the end ("
              + length()
              + " bytes)");
    }
    List<Future<?>> parts = new ArrayList<>();
    try {
      long at = position;
      int done = 0;
      while (done < length) {
        LocatedBlock block = blockAt(at);
        long inBlock = at - block.getOffset();
        int n = (int) Math.min(length - done, block.getBlock().getLength() - inBlock);
        BlockSink sink = into(buffer, offset + done);
        if (done + n == length && parts.isEmpty()) {
          downloader.download(block, inBlock, n, sink); // one block: on the caller's thread
        } else {
          parts.add(
              pool.submit(
                  () -> {
                    downloader.download(block, inBlock, n, sink);
                    return null;
                  }));
        }
        done += n;
        at += n;
      }
      for (Future<?> part : parts) {
        Transfers.await(part);
      }
    } finally {
      Transfers.cancelAll(parts);
    }
  }

  /**
   * Reads {@code length} bytes at {@code position} on the client's transfer threads into a buffer
   * from {@code allocate}, flipped for reading when the future completes; it fails as {@link
   * #readFully} would.
   */
  public CompletableFuture<ByteBuffer> readAsync(
      long position, int length, IntFunction<ByteBuffer> allocate) {
    CompletableFuture<ByteBuffer> result = new CompletableFuture<>();
    pool.execute(
        () -> {
          try {
            ByteBuffer target = allocate.apply(length);
            if (target.hasArray()) {
              readFully(position, target.array(), target.arrayOffset() + target.position(), length);
              target.position(target.position() + length);
            } else {
              byte[] bytes = new byte[length];
              readFully(position, bytes, 0, length);
              target.put(bytes);
            }
            result.complete(target.flip());
          } catch (IOException | RuntimeException e) {
            result.completeExceptionally(e);
          }
        });
    return result;
  }

  private LocatedBlock blockAt(long position) {
    int index = Arrays.binarySearch(offsets, position);
    return file.getBlocks(index >= 0 ? index : -index - 2);
  }

  private static BlockSink into(byte[] buffer, int start) {
    return (bytes, position) ->
        bytes.get(buffer, start + Math.toIntExact(position), bytes.remaining());
  }

  private static void checkRange(long position, byte[] buffer, int offset, int length) {
    if (position < 0) {
      throw new IllegalArgumentException("negative position " + position);
    }
    if (offset < 0 || length < 0 || length > buffer.length - offset) {
      throw new IndexOutOfBoundsException(
          "offset " + offset + ", length " + length + " of a buffer of " + buffer.length);
    }
  }
}
