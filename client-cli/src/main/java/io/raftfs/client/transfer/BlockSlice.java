package io.raftfs.client.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The bytes of one block to upload: a region of a local file. A temporary slice owns its file (a
 * spilled piece of standard input) and deletes it on {@link #release()}.
 */
public record BlockSlice(int index, Path file, long position, long length, boolean temporary) {

  static final int BUFFER_SIZE = 256 << 10;

  /** CRC32C of the region, as the data nodes expect it in {@code X-Raftfs-Crc32c}. */
  public int crc32c() throws IOException {
    CRC32C crc = new CRC32C();
    ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);
    try (FileChannel channel = FileChannel.open(file)) {
      long offset = position;
      long end = position + length;
      while (offset < end) {
        buffer.clear().limit((int) Math.min(BUFFER_SIZE, end - offset));
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

  /** Frees what the slice holds once its block is stored. */
  public void release() throws IOException {
    if (temporary) {
      TempFiles.delete(file);
    }
  }
}
