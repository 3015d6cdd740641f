package io.raftfs.client.transfer;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/** Cuts what a put uploads into blocks, in order. Closing it frees every slice it made. */
public interface SliceSource extends Closeable {

  /** The next block, or null after the last one. */
  BlockSlice next() throws IOException;

  /** The bytes in all, or -1 when not known before the end. */
  long totalBytes();

  /**
   * True once the slices returned so far are all there is, known without reading ahead: a file
   * source after its last region, a stream source after a short block (a stream ending exactly at a
   * block boundary only says so when {@link #next()} returns null).
   */
  boolean ended();

  /** Blocks of a local file: regions of the file itself, nothing copied. */
  static SliceSource of(Path file, long blockSize) throws IOException {
    long size = Files.size(file);
    return new SliceSource() {
      private int index;

      @Override
      public BlockSlice next() {
        long position = index * blockSize;
        if (position >= size) {
          return null;
        }
        return new BlockSlice.FileRegion(
            index++, file, position, Math.min(blockSize, size - position), false);
      }

      @Override
      public long totalBytes() {
        return size;
      }

      @Override
      public boolean ended() {
        return index * blockSize >= size;
      }

      @Override
      public void close() {}
    };
  }

  /**
   * Blocks of a stream: a block that fits in {@link Transfers#IN_MEMORY_BLOCK_BYTES} stays in
   * memory, a larger one is spilled to a temporary file, so memory stays small whatever the block
   * size; the caller bounds how many exist at once.
   */
  static SliceSource of(InputStream in, long blockSize) {
    return new SliceSource() {
      private final Set<Path> spilled = new HashSet<>();
      private int index;
      private boolean ended;

      @Override
      public BlockSlice next() throws IOException {
        if (ended) {
          return null;
        }
        int headLimit = (int) Math.min(blockSize, Transfers.IN_MEMORY_BLOCK_BYTES);
        byte[] head = in.readNBytes(headLimit);
        if (head.length < headLimit || head.length == blockSize) {
          ended = head.length < headLimit;
          return head.length == 0 ? null : new BlockSlice.InMemory(index++, head);
        }
        Path file = TempFiles.track(Files.createTempFile("raftfs-put-", ".block"));
        synchronized (spilled) {
          spilled.add(file);
        }
        long length;
        try (var out = Files.newOutputStream(file)) {
          out.write(head);
          length = head.length + copy(in, out, blockSize - head.length);
        }
        ended = length < blockSize;
        return new BlockSlice.FileRegion(index++, file, 0, length, true);
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
      public void close() throws IOException {
        synchronized (spilled) {
          for (Path file : spilled) {
            TempFiles.delete(file);
          }
        }
      }
    };
  }

  private static long copy(InputStream in, OutputStream out, long limit) throws IOException {
    byte[] buffer = new byte[Transfers.BUFFER_SIZE];
    long copied = 0;
    while (copied < limit) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - copied));
      if (n < 0) {
        break;
      }
      out.write(buffer, 0, n);
      copied += n;
    }
    return copied;
  }
}
