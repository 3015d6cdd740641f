package io.raftfs.meta.repair;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScanPacerTest {
  private static final long MS = 1_000_000;
  private final ScanPacer pacer = new ScanPacer(1000);

  @Test
  void theFirstScanIsDueAtOnce() {
    assertTrue(pacer.due(0, true, false));
    assertTrue(pacer.due(0, false, false));
  }

  @Test
  void aCheapScanWaitsTheConfiguredInterval() {
    pacer.scanned(10_000 * MS, 10_005 * MS);
    assertFalse(pacer.due(11_004 * MS, true, true));
    assertTrue(pacer.due(11_005 * MS, true, true));
    assertTrue(pacer.due(11_005 * MS, true, false));
    assertTrue(pacer.due(11_005 * MS, false, false));
  }

  @Test
  void anExpensiveScanWaitsLongEnoughToStayWithinItsShareOfACore() {
    pacer.scanned(0, 200 * MS);
    long end = 200 * MS;
    assertFalse(pacer.due(end + 1_799 * MS, true, true));
    assertTrue(pacer.due(end + 1_800 * MS, true, true), "200 ms scan, 10 %: 1.8 s pause");
    assertFalse(pacer.due(end + 9_799 * MS, true, false));
    assertTrue(pacer.due(end + 9_800 * MS, true, false), "nothing to repair, 2 %: 9.8 s pause");
    assertFalse(pacer.due(end + 19_799 * MS, false, true));
    assertTrue(pacer.due(end + 19_800 * MS, false, true), "follower, 1 %: 19.8 s pause");
  }

  @Test
  void workFoundAfterAnIdleWaitBeganMakesTheScanDueSooner() {
    pacer.scanned(0, 200 * MS);
    long twoSecondsLater = 2_200 * MS;
    assertFalse(pacer.due(twoSecondsLater, true, false));
    assertTrue(pacer.due(twoSecondsLater, true, true));
  }

  @Test
  void theIntervalMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new ScanPacer(0));
  }
}
