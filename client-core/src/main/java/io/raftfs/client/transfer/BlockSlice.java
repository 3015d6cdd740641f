package io.raftfs.client.transfer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;

/**
 * The bytes of one block to upload: a region of a local file, or a short stream's block held in
 * memory.
 */
public sealed interface BlockSlice permits BlockSlice.FileRegion, BlockSlice.InMemory {
  /** The block's place in the file, from 0. */
  int index();

  long length();

  /** CRC32C of the bytes, as the data nodes expect it in {@code X-Raftfs-Crc32c}. */
  int crc32c() throws IOException;

  /** The bytes from the start, each chunk read reported to {@code progress}. */
  InputStream open(LongConsumer progress) throws IOException;

  /** Frees what the slice holds once its block is stored. */
  void release() throws IOException;

  /**
   * A region of a local file. A temporary region owns its file (a spilled piece of standard input)
   * and deletes it on {@link #release()}.
   */
  record FileRegion(int index, Path file, long position, long length, boolean temporary)
      implements BlockSlice {
    @Override
    public int crc32c() throws IOException {
      CRC32C crc = new CRC32C();
      ByteBuffer buffer = ByteBuffer.allocate(Transfers.bufferFor(length));
      try (FileChannel channel = FileChannel.open(file)) {
        long offset = position;
        long end = position + length;
        while (offset < end) {
          buffer.clear().limit((int) Math.min(buffer.capacity(), end - offset));
          int n = channel.read(buffer, offset);
          if (n < 0) {
            throw new IOException(file + ": file shrank while being read");
          }
          offset += n;
          crc.update(buffer.flip());
        }
      }
      return (int) crc.getValue();
    }

    @Override
    public InputStream open(LongConsumer progress) throws IOException {
      return new RegionInputStream(file, position, length, progress);
    }

    @Override
    public void release() throws IOException {
      if (temporary) {
        TempFiles.delete(file);
      }
    }
  }

  /** A whole block in memory: no temporary file to create, write, read back and delete. */
  record InMemory(int index, byte[] bytes) implements BlockSlice {
    @Override
    public long length() {
      return bytes.length;
    }

    @Override
    public int crc32c() {
      CRC32C crc = new CRC32C();
      crc.update(bytes);
      return (int) crc.getValue();
    }

    @Override
    public InputStream open(LongConsumer progress) {
      return new ByteArrayInputStream(bytes) {
        @Override
        public synchronized int read(byte[] b, int off, int len) {
          int n = super.read(b, off, len);
          if (n > 0) {
            progress.accept(n);
          }
          return n;
        }
      };
    }

    @Override
    public void release() {}
  }
}
