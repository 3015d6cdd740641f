package io.raftfs.client;

/**
 * Hears how far a put or get has got. Called from several transfer threads at once, so
 * implementations must be thread-safe.
 */
public interface TransferListener {

  /** A listener that ignores everything. */
  TransferListener NONE =
      new TransferListener() {
        @Override
        public void started(long totalBytes) {}

        @Override
        public void transferred(long bytes) {}
      };

  /**
   * The transfer begins.
   *
   * @param totalBytes the bytes to move, or -1 when unknown (a put from a stream)
   */
  void started(long totalBytes);

  /** More bytes have moved. Negative when an attempt failed and its bytes will be sent again. */
  void transferred(long bytes);
}
