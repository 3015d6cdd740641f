package io.raftfs.client.transfer;

import io.raftfs.client.meta.MetaClient;
import io.raftfs.proto.BlockLocations;
import io.raftfs.proto.LocatedBlock;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.LongConsumer;

/**
 * Downloads the blocks of one file, at most {@code parallelism} at a time: into a file at their
 * offsets, or in order into a stream (each block verified in memory or, if larger than {@link
 * Transfers#IN_MEMORY_BLOCK_BYTES}, in a temporary file before any of it is written out, so a
 * stream never receives unverified bytes).
 */
public final class FileDownload {
  private final MetaClient meta;
  private final DataNodeClient dataNodes;
  private final ExecutorService pool;
  private final int parallelism;

  public FileDownload(
      MetaClient meta, DataNodeClient dataNodes, ExecutorService pool, int parallelism) {
    this.meta = meta;
    this.dataNodes = dataNodes;
    this.pool = pool;
    this.parallelism = parallelism;
  }

  /** Writes the file's blocks into {@code target}, an empty file. */
  public void toFile(BlockLocations file, FileChannel target, LongConsumer progress)
      throws IOException {
    BlockDownloader downloader = downloader(file, progress);
    Semaphore window = new Semaphore(parallelism);
    List<Future<?>> blocks = new ArrayList<>();
    try {
      for (LocatedBlock block : file.getBlocksList()) {
        Transfers.acquire(window);
        Transfers.failFast(blocks);
        blocks.add(
            pool.submit(
                () -> {
                  try {
                    downloader.download(block, BlockSink.of(target, block.getOffset()));
                    return null;
                  } finally {
                    window.release();
                  }
                }));
      }
      for (Future<?> block : blocks) {
        Transfers.await(block);
      }
    } finally {
      Transfers.cancelAll(blocks);
    }
  }

  /** Writes the file's blocks into {@code out}, in order. */
  public void toStream(BlockLocations file, OutputStream out, LongConsumer progress)
      throws IOException {
    stream(file.getBlocksList(), downloader(file, progress), out);
  }

  /**
   * Writes bytes {@code [offset, offset + length)} of the file into {@code out}, downloading only
   * the blocks they lie in. Blocks are found by their offsets, which follow from their lengths:
   * blocks of one file may differ in length (a file concatenated from others).
   */
  public void rangeToStream(BlockLocations file, long offset, long length, OutputStream out)
      throws IOException {
    BlockDownloader downloader = downloader(file, n -> {});
    List<LocatedBlock> needed = new ArrayList<>();
    for (LocatedBlock block : file.getBlocksList()) {
      long end = block.getOffset() + block.getBlock().getLength();
      if (end > offset && block.getOffset() < offset + length) {
        needed.add(block);
      }
    }
    if (needed.isEmpty()) {
      return;
    }
    long skip = offset - needed.get(0).getOffset();
    stream(needed, downloader, new WindowOutputStream(out, skip, length));
  }

  private void stream(List<LocatedBlock> blocks, BlockDownloader downloader, OutputStream out)
      throws IOException {
    Deque<Future<VerifiedBlock>> window = new ArrayDeque<>();
    try {
      for (LocatedBlock block : blocks) {
        if (window.size() == parallelism) {
          Transfers.await(window.removeFirst()).copyTo(out);
        }
        window.addLast(pool.submit(() -> verify(downloader, block)));
      }
      while (!window.isEmpty()) {
        Transfers.await(window.removeFirst()).copyTo(out);
      }
      out.flush();
    } finally {
      for (Future<VerifiedBlock> pending : window) {
        if (!pending.cancel(true)) {
          VerifiedBlock verified = Transfers.resultOrNull(pending);
          if (verified != null) {
            verified.discard();
          }
        }
      }
    }
  }

  /** A block whose bytes matched its checksum, waiting for its turn in the stream. */
  private interface VerifiedBlock {
    /** Writes the block to {@code out} and lets go of it. */
    void copyTo(OutputStream out) throws IOException;

    void discard() throws IOException;
  }

  private record InMemory(byte[] bytes) implements VerifiedBlock {
    @Override
    public void copyTo(OutputStream out) throws IOException {
      out.write(bytes);
    }

    @Override
    public void discard() {}
  }

  private record Spilled(Path file) implements VerifiedBlock {
    @Override
    public void copyTo(OutputStream out) throws IOException {
      try (FileChannel channel = FileChannel.open(file)) {
        WritableByteChannel sink = Channels.newChannel(out);
        for (long position = 0, size = channel.size(); position < size; ) {
          position += channel.transferTo(position, size - position, sink);
        }
      } finally {
        discard();
      }
    }

    @Override
    public void discard() throws IOException {
      TempFiles.delete(file);
    }
  }

  private BlockDownloader downloader(BlockLocations file, LongConsumer progress)
      throws IOException {
    requireComplete(file);
    return new BlockDownloader(meta, dataNodes, file.getStatus().getPath(), progress);
  }

  private static VerifiedBlock verify(BlockDownloader downloader, LocatedBlock block)
      throws IOException {
    long length = block.getBlock().getLength();
    if (length <= Transfers.IN_MEMORY_BLOCK_BYTES) {
      byte[] bytes = new byte[(int) length];
      downloader.download(block, BlockSink.of(bytes));
      return new InMemory(bytes);
    }
    Path spilled = TempFiles.track(Files.createTempFile("raftfs-get-", ".block"));
    try (FileChannel channel = FileChannel.open(spilled, StandardOpenOption.WRITE)) {
      downloader.download(block, BlockSink.of(channel, 0));
      return new Spilled(spilled);
    } catch (IOException | RuntimeException e) {
      TempFiles.delete(spilled);
      throw e;
    }
  }

  /** The block list must cover the file's length without gaps: never hand out missing data. */
  static void requireComplete(BlockLocations file) throws IOException {
    long offset = 0;
    for (LocatedBlock block : file.getBlocksList()) {
      if (block.getOffset() != offset) {
        throw new IOException(
            file.getStatus().getPath() + ": block list has a gap at offset " + offset);
      }
      offset += block.getBlock().getLength();
    }
    if (offset != file.getStatus().getLength()) {
      throw new IOException(
          file.getStatus().getPath()
              + ": blocks hold "
              + offset
              + " of "
              + file.getStatus().getLength()
              + " bytes");
    }
  }
}
