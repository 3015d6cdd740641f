package io.raftfs.data.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.testing.SettableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** When background work counts the node as busy with clients. */
class ClientTrafficTest {
  private static final Duration QUIET = Duration.ofSeconds(1);

  private final SettableClock clock = new SettableClock(1_800_000_000_000L);
  private final ClientTraffic traffic = new ClientTraffic(clock);

  @Test
  void aNodeNobodyUsedIsIdle() {
    assertFalse(traffic.busy(QUIET));
  }

  @Test
  void busyWhileATransferIsInFlightHoweverLongItTakes() {
    traffic.began();
    traffic.began();
    traffic.ended();
    clock.advance(3_600_000);

    assertTrue(traffic.busy(QUIET));
    assertTrue(traffic.busy(Duration.ZERO));
    assertEquals(1, traffic.inFlight());
  }

  @Test
  void busyUntilTheNodeWasQuietForTheWholeQuietTime() {
    traffic.began();
    clock.advance(5000);
    traffic.ended();

    clock.advance(999);
    assertTrue(traffic.busy(QUIET));
    assertFalse(traffic.busy(Duration.ZERO), "nothing in flight");
    clock.advance(1);
    assertFalse(traffic.busy(QUIET));
  }
}
