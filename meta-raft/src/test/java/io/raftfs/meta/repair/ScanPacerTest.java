package io.raftfs.meta.repair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ScanPacerTest {
  private static final long MS = 1_000_000;
  private final ScanPacer pacer = new ScanPacer(1000);

  @Test
  void aCheapScanWaitsTheConfiguredInterval() {
    assertEquals(1000, pacer.nextDelayMillis(5 * MS, true));
    assertEquals(1000, pacer.nextDelayMillis(5 * MS, false));
  }

  @Test
  void anExpensiveScanWaitsLongEnoughToStayWithinItsShareOfACore() {
    assertEquals(1800, pacer.nextDelayMillis(200 * MS, true), "200 ms scan, 10 %: 1.8 s pause");
    assertEquals(9800, pacer.nextDelayMillis(200 * MS, false), "follower, 2 %: 9.8 s pause");
  }

  @Test
  void theIntervalMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new ScanPacer(0));
  }
}
