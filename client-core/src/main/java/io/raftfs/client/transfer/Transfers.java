package io.raftfs.client.transfer;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Sizes shared by uploads and downloads, and waiting on transfer tasks with their failures rethrown
 * as they were thrown.
 */
public final class Transfers {
  /**
   * A block up to this size from or to a stream is held in memory, not in a temporary file (create,
   * write, read, delete: most of a small file's client time): a put from a stream keeps its slice,
   * a get to a stream verifies the block there. At most the transfer's parallelism of them exist.
   */
  public static final int IN_MEMORY_BLOCK_BYTES = 1 << 20;

  /** Bytes moved per read or write when streaming a block. */
  static final int BUFFER_SIZE = 256 << 10;

  private Transfers() {}

  /** A buffer size for {@code length} bytes: no larger than needed (a 4 KiB block, 4 KiB). */
  static int bufferFor(long length) {
    return (int) Math.max(1, Math.min(BUFFER_SIZE, length));
  }

  static <T> T await(Future<T> task) throws IOException {
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("transfer interrupted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IOException(cause);
    }
  }

  /** Rethrows the failure of any task that has already failed. */
  static void failFast(List<? extends Future<?>> tasks) throws IOException {
    for (Future<?> task : tasks) {
      if (task.isDone()) {
        await(task);
      }
    }
  }

  /** The result of a task that completed normally, else null; never waits. */
  static <T> T resultOrNull(Future<T> task) {
    if (!task.isDone() || task.isCancelled()) {
      return null;
    }
    try {
      return task.get();
    } catch (InterruptedException | ExecutionException e) {
      return null;
    }
  }

  static void acquire(Semaphore semaphore) throws InterruptedIOException {
    try {
      semaphore.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("transfer interrupted");
    }
  }

  static void cancelAll(List<? extends Future<?>> tasks) {
    tasks.forEach(task -> task.cancel(true));
  }
}
