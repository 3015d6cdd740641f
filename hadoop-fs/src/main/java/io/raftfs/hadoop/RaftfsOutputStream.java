package io.raftfs.hadoop;

import io.raftfs.client.meta.MetaException;
import io.raftfs.client.transfer.BlockOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.LongConsumer;
import org.apache.hadoop.fs.StreamCapabilities;
import org.apache.hadoop.fs.Syncable;

/**
 * A new raftfs file as Hadoop writes it: blocks are uploaded as they fill and the file appears on
 * {@link #close()}. {@link #hflush()} and {@link #hsync()} are refused: nothing written is visible
 * or durable before the close, and {@link #hasCapability} says so, as Hadoop's specification asks
 * of a store that cannot offer them.
 */
final class RaftfsOutputStream extends OutputStream implements Syncable, StreamCapabilities {
  private final BlockOutputStream out;
  private final LongConsumer written;

  /**
   * @param written told of the bytes of every write
   */
  RaftfsOutputStream(BlockOutputStream out, LongConsumer written) {
    this.out = out;
    this.written = written;
  }

  @Override
  public void write(int b) throws IOException {
    try {
      out.write(b);
      written.accept(1);
    } catch (MetaException e) {
      throw HadoopErrors.translate(e);
    }
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    try {
      out.write(bytes, offset, length);
      written.accept(length);
    } catch (MetaException e) {
      throw HadoopErrors.translate(e);
    }
  }

  /** Commits the file; a failed commit leaves no file and throws. */
  @Override
  public void close() throws IOException {
    try {
      out.close();
    } catch (MetaException e) {
      throw HadoopErrors.translate(e);
    }
  }

  @Override
  public void hflush() {
    throw new UnsupportedOperationException(
        "raftfs files are write-once: the file appears when its stream is closed");
  }

  @Override
  public void hsync() {
    throw new UnsupportedOperationException(
        "raftfs files are write-once: the file is stored when its stream is closed");
  }

  @Override
  public boolean hasCapability(String capability) {
    return false;
  }
}
