package io.raftfs.http;

import java.io.IOException;

/**
 * A body in chunked transfer coding (RFC 9112 section 7.1). The chunk sizes come from the node and
 * are checked like the head: hex digits only, no sign, no overflow, the line capped; the trailer
 * fields after the last chunk are read with the head's caps and dropped.
 */
final class ChunkedBody extends HttpResponse.BodyStream {
  /** A chunk size and its extensions: 16 hex digits, and this client sends no extension. */
  static final int MAX_CHUNK_SIZE_LINE_BYTES = 1 << 10;

  private long chunkLeft;
  private boolean ended;

  ChunkedBody(HttpConnection connection) {
    super(connection);
  }

  @Override
  boolean finished() {
    return ended;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (ended) {
      return -1;
    }
    if (chunkLeft == 0) {
      chunkLeft = readChunkSize();
      if (chunkLeft == 0) {
        AnswerHead.readFields(connection, "trailer"); // none expected, none used
        ended = true;
        return -1;
      }
    }
    int n = connection.input().read(b, off, (int) Math.min(len, chunkLeft));
    if (n < 0) {
      throw cutShort("in the middle of a chunk");
    }
    chunkLeft -= n;
    if (chunkLeft == 0) {
      readChunkEnd();
    }
    return n;
  }

  private long readChunkSize() throws IOException {
    String line = connection.readLine(MAX_CHUNK_SIZE_LINE_BYTES, "chunk-size");
    int end = line.indexOf(';'); // extensions: none used
    end = end < 0 ? line.length() : end;
    while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
      end--; // whitespace before an extension
    }
    if (end == 0) {
      throw new MalformedAnswerException("bad chunk size", line);
    }
    long size = 0;
    for (int i = 0; i < end; i++) {
      int digit = hexDigit(line.charAt(i));
      if (digit < 0) {
        throw new MalformedAnswerException("bad chunk size", line);
      }
      if (size > Long.MAX_VALUE >> 4) {
        throw new MalformedAnswerException("chunk size overflows 63 bits", line);
      }
      size = size << 4 | digit;
    }
    return size;
  }

  /** The CRLF after a chunk's data; anything else means the chunk was longer than announced. */
  private void readChunkEnd() throws IOException {
    int cr = connection.input().read();
    int lf = connection.input().read();
    if (cr < 0 || lf < 0) {
      throw cutShort("at the end of a chunk");
    }
    if (cr != '\r' || lf != '\n') {
      throw new MalformedAnswerException("chunk longer than announced");
    }
  }

  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
  }
}
