package io.raftfs.meta.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.raftfs.meta.statemachine.MetaStateMachine;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PacedDigestTest {
  private final AtomicLong now = new AtomicLong(1_000);
  private final AtomicInteger computed = new AtomicInteger();

  /** Each computation takes 10 ns of the fake clock and reports how many came before it. */
  private final PacedDigest digest =
      new PacedDigest(
          () -> {
            now.addAndGet(10);
            int n = computed.incrementAndGet();
            return new MetaStateMachine.Digest(n, "sha-" + n);
          },
          now::get);

  @Test
  void aComputationIsFollowedByNineTimesItsDurationOfCachedAnswers() {
    assertEquals("sha-1", digest.get().sha256());
    now.addAndGet(89); // 89 of the 90 ns of pause
    assertEquals("sha-1", digest.get().sha256());
    assertEquals(1, computed.get());

    now.addAndGet(1);
    assertEquals("sha-2", digest.get().sha256());
    assertEquals(2, digest.get().appliedIndex(), "the cached answer names its applied index");
    assertEquals(2, computed.get());
  }
}
