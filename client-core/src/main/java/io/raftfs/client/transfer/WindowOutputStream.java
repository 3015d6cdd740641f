package io.raftfs.client.transfer;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Passes on only a window of what is written: drops the first {@code skip} bytes and everything
 * after the next {@code length}. A ranged read downloads whole blocks and keeps the range of them.
 */
public final class WindowOutputStream extends FilterOutputStream {
  private long skip;
  private long left;

  public WindowOutputStream(OutputStream out, long skip, long length) {
    super(out);
    this.skip = skip;
    this.left = length;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int count) throws IOException {
    int dropped = (int) Math.min(skip, count);
    skip -= dropped;
    int kept = (int) Math.min(left, count - dropped);
    if (kept > 0) {
      out.write(bytes, offset + dropped, kept);
      left -= kept;
    }
  }
}
