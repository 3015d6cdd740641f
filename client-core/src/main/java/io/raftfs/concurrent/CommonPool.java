package io.raftfs.concurrent;

import java.util.concurrent.ForkJoinPool;

/**
 * Keeps {@code CompletableFuture}'s default executor a pool on small machines.
 *
 * <p>On two cores {@link ForkJoinPool#commonPool()} gets parallelism 1, and the JDK then runs every
 * {@code ...Async} stage given no executor on a <em>new thread</em>. Ratis does that for each
 * append on a follower and the JDK {@code HttpClient} for each response body: profiled, thread
 * creation was 8-10 % of a follower's and of a client's CPU. Call {@link #ensureShared()} first
 * thing in {@code main}, before anything touches {@code CompletableFuture}:
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *   CommonPool.ensureShared();
 *   ...
 * }
 * }</pre>
 */
public final class CommonPool {
  static final String PARALLELISM_PROPERTY = "java.util.concurrent.ForkJoinPool.common.parallelism";

  /** The JDK shares the common pool only above this parallelism. */
  static final int MIN_SHARED_PARALLELISM = 2;

  private CommonPool() {}

  /** Raises the common pool's parallelism to 2 unless the user set it; a no-op after first use. */
  public static void ensureShared() {
    if (System.getProperty(PARALLELISM_PROPERTY) == null
        && Runtime.getRuntime().availableProcessors() - 1 < MIN_SHARED_PARALLELISM) {
      System.setProperty(PARALLELISM_PROPERTY, Integer.toString(MIN_SHARED_PARALLELISM));
    }
  }
}
