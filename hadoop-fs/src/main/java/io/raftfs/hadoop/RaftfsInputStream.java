package io.raftfs.hadoop;

import io.raftfs.client.meta.MetaException;
import io.raftfs.client.transfer.PositionedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.IntFunction;
import java.util.function.LongConsumer;
import org.apache.hadoop.fs.FSExceptionMessages;
import org.apache.hadoop.fs.FSInputStream;
import org.apache.hadoop.fs.FileRange;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.StreamCapabilities;
import org.apache.hadoop.fs.VectoredReadUtils;

/**
 * A raftfs file as Hadoop reads it. Reads at the stream's position come from a buffer filled by
 * ranged reads of the data nodes: a read that does not continue where the last buffer ended (the
 * first one, or one after a seek) fetches a small range, while a stream read sequentially keeps
 * {@code requests} ranges of {@code readahead} bytes in flight ahead of its position, as a get
 * downloads blocks in parallel. Positioned reads and vectored reads bypass the buffer and go to the
 * client's parallel block readers directly.
 *
 * <p>Not thread-safe for reads at the position (as {@code DataInputStream}); positioned reads may
 * come from any thread.
 */
final class RaftfsInputStream extends FSInputStream implements StreamCapabilities {
  /** The least a read after a seek fetches: small, for readers that jump around (footers). */
  static final int RANDOM_READ_BYTES = 64 << 10;

  private final PositionedReader reader;
  private final FileSystem.Statistics statistics;
  private final LongConsumer bytesRead;
  private final long length;
  private final int readahead;
  private final int requests;
  private final Deque<Range> ahead = new ArrayDeque<>();
  private ByteBuffer buffer;
  private long bufferStart;
  private long position;

  /** Where the last buffer ended: a read there is sequential. */
  private long sequentialFrom = -1;

  private volatile boolean closed;

  /** A range being fetched. */
  private record Range(long start, int length, CompletableFuture<ByteBuffer> bytes) {}

  /**
   * @param statistics the scheme's statistics, told of every byte read
   * @param bytesRead the file system's statistics, told the same
   */
  RaftfsInputStream(
      PositionedReader reader,
      FileSystem.Statistics statistics,
      LongConsumer bytesRead,
      long readahead,
      int requests) {
    this.reader = reader;
    this.statistics = statistics;
    this.bytesRead = bytesRead;
    this.length = reader.length();
    this.readahead = (int) readahead;
    this.requests = requests;
  }

  @Override
  public synchronized void seek(long target) throws IOException {
    checkOpen();
    if (target < 0) {
      throw new EOFException(FSExceptionMessages.NEGATIVE_SEEK + ": " + target);
    }
    if (target > length) {
      throw new EOFException(FSExceptionMessages.CANNOT_SEEK_PAST_EOF + ": " + target);
    }
    position = target;
  }

  @Override
  public synchronized long getPos() {
    return position;
  }

  @Override
  public boolean seekToNewSource(long target) {
    return false; // every read already moves to the next replica when one fails
  }

  @Override
  public synchronized int available() throws IOException {
    checkOpen();
    return buffered() ? (int) (bufferStart + buffer.limit() - position) : 0;
  }

  @Override
  public synchronized int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public synchronized int read(byte[] bytes, int offset, int count) throws IOException {
    checkOpen();
    validatePositionedReadArgs(position, bytes, offset, count);
    if (count == 0) {
      return 0;
    }
    if (position >= length) {
      return -1;
    }
    if (!buffered()) {
      fill(count);
    }
    int inBuffer = (int) (position - bufferStart);
    int n = Math.min(count, buffer.limit() - inBuffer);
    buffer.get(inBuffer, bytes, offset, n);
    position += n;
    counted(n);
    return n;
  }

  private boolean buffered() {
    return buffer != null && position >= bufferStart && position < bufferStart + buffer.limit();
  }

  /** Makes the buffer hold {@code position}, fetching ahead when the stream reads sequentially. */
  private void fill(int wanted) throws IOException {
    boolean sequential = position == sequentialFrom;
    if (!ahead.isEmpty() && ahead.peekFirst().start() != position) {
      cancelAhead();
    }
    if (ahead.isEmpty()) {
      fetch(position, sequential ? readahead : Math.max(wanted, RANDOM_READ_BYTES));
    }
    if (sequential) {
      for (Range last = ahead.peekLast();
          ahead.size() < requests && last.start() + last.length() < length;
          last = ahead.peekLast()) {
        fetch(last.start() + last.length(), readahead);
      }
    }
    Range next = ahead.removeFirst();
    buffer = await(next.bytes());
    bufferStart = next.start();
    sequentialFrom = next.start() + next.length();
  }

  private void fetch(long start, int size) {
    int n = (int) Math.min(size, length - start);
    ahead.addLast(new Range(start, n, reader.readAsync(start, n, ByteBuffer::allocate)));
  }

  private void cancelAhead() {
    for (Range range : ahead) {
      range.bytes().cancel(false);
    }
    ahead.clear();
  }

  @Override
  public int read(long at, byte[] bytes, int offset, int count) throws IOException {
    checkOpen();
    validatePositionedReadArgs(at, bytes, offset, count);
    if (count == 0) {
      return 0;
    }
    try {
      int n = reader.read(at, bytes, offset, count);
      if (n > 0) {
        counted(n);
      }
      return n;
    } catch (MetaException e) {
      throw HadoopErrors.translate(e);
    }
  }

  @Override
  public void readFully(long at, byte[] bytes, int offset, int count) throws IOException {
    checkOpen();
    validatePositionedReadArgs(at, bytes, offset, count);
    if (count == 0) {
      return;
    }
    try {
      reader.readFully(at, bytes, offset, count);
      counted(count);
    } catch (MetaException e) {
      throw HadoopErrors.translate(e);
    }
  }

  /**
   * Each range is read on the client's transfer threads, the blocks of a range in parallel. A range
   * reaching past the end fails its own future with {@link EOFException}, as Hadoop specifies.
   */
  @Override
  public void readVectored(List<? extends FileRange> ranges, IntFunction<ByteBuffer> allocate)
      throws IOException {
    checkOpen();
    for (FileRange range : VectoredReadUtils.validateAndSortRanges(ranges, Optional.empty())) {
      range.setData(
          reader
              .readAsync(range.getOffset(), range.getLength(), allocate)
              .thenApply(
                  bytes -> {
                    counted(bytes.remaining());
                    return bytes;
                  }));
    }
  }

  @Override
  public boolean hasCapability(String capability) {
    return StreamCapabilities.VECTOREDIO.equalsIgnoreCase(capability);
  }

  @Override
  public synchronized void close() {
    closed = true;
    cancelAhead();
    buffer = null;
  }

  private void counted(long bytes) {
    statistics.incrementBytesRead(bytes);
    bytesRead.accept(bytes);
  }

  private void checkOpen() throws IOException {
    if (closed) {
      throw new IOException(FSExceptionMessages.STREAM_IS_CLOSED);
    }
  }

  private static ByteBuffer await(CompletableFuture<ByteBuffer> bytes) throws IOException {
    try {
      return bytes.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("read interrupted");
    } catch (CancellationException e) {
      throw new InterruptedIOException("read cancelled");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof MetaException meta) {
        throw HadoopErrors.translate(meta);
      }
      throw new IOException(cause);
    }
  }
}
