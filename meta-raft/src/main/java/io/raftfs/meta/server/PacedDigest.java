package io.raftfs.meta.server;

import io.raftfs.meta.statemachine.MetaStateMachine;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The state digest for checkers, computed at most a tenth of the time: hashing the namespace holds
 * the apply lock, so a loop of {@code GET /v1/digest} would otherwise stall every write. Between
 * computations callers get the last digest, which names the applied index it was taken at.
 *
 * <pre>{@code
 * PacedDigest digest = new PacedDigest(stateMachine::digest, System::nanoTime);
 * MetaStateMachine.Digest current = digest.get();
 * }</pre>
 */
final class PacedDigest implements Supplier<MetaStateMachine.Digest> {
  /** A computation that took d waits at least this many times d before the next one. */
  static final int IDLE_FACTOR = 9;

  private final Supplier<MetaStateMachine.Digest> compute;
  private final LongSupplier nanoTime;
  private MetaStateMachine.Digest last;
  private long nextAllowedNanos;

  PacedDigest(Supplier<MetaStateMachine.Digest> compute, LongSupplier nanoTime) {
    this.compute = compute;
    this.nanoTime = nanoTime;
  }

  @Override
  public synchronized MetaStateMachine.Digest get() {
    long start = nanoTime.getAsLong();
    if (last != null && start - nextAllowedNanos < 0) {
      return last;
    }
    last = compute.get();
    long end = nanoTime.getAsLong();
    nextAllowedNanos = end + IDLE_FACTOR * (end - start);
    return last;
  }
}
