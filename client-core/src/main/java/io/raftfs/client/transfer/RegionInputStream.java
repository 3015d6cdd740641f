package io.raftfs.client.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.function.LongConsumer;

/** Streams one region of a file and reports every chunk it hands out. */
final class RegionInputStream extends InputStream {
  private final FileChannel channel;
  private final long end;
  private final LongConsumer progress;
  private long offset;

  RegionInputStream(Path file, long position, long length, LongConsumer progress)
      throws IOException {
    this.channel = FileChannel.open(file);
    this.offset = position;
    this.end = position + length;
    this.progress = progress;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (offset >= end) {
      return -1;
    }
    int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - offset)), offset);
    if (n < 0) {
      throw new IOException("file shrank while being uploaded");
    }
    offset += n;
    progress.accept(n);
    return n;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
