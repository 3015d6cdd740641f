package io.raftfs.data.scrub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The pace of a pass, on times the test passes in: what a tick may read, and why. */
class ScrubPacerTest {
  private static final long HOUR = 3_600_000;
  private static final long CEILING = 10 << 20;

  private final ScrubPacer pacer =
      new ScrubPacer(Duration.ofMillis(HOUR), CEILING, Duration.ofMillis(100));

  @Test
  void aPassGoesAtWhatIsLeftOverTheTimeLeft() {
    assertEquals(1000, pacer.rate(0, 0, 3_600_000), "3.6 MB over an hour");
    assertEquals(2000, pacer.rate(0, HOUR / 2, 3_600_000), "the same, with half the hour gone");
    assertEquals(HOUR + 5, pacer.due(5));
  }

  @Test
  void theCeilingBoundsThePaceAndALatePassGoesAtIt() {
    assertEquals(CEILING, pacer.rate(0, 0, Long.MAX_VALUE / 2000));
    assertEquals(CEILING, pacer.rate(0, HOUR, 1));
    assertEquals(CEILING, pacer.rate(0, 2 * HOUR, 0));
  }

  @Test
  void eachTickMayReadATenthOfASecondAtThePace() {
    assertEquals(100, pacer.allow(1000));
    pacer.spent(100);
    assertEquals(100, pacer.allow(1000));
  }

  @Test
  void readingAheadOfThePaceIsPaidOffBeforeTheNextRead() {
    pacer.allow(1000);
    pacer.spent(1000); // a whole chunk: 900 ahead of the pace
    for (int tick = 0; tick < 9; tick++) {
      assertEquals(0, pacer.allow(1000), "tick " + tick);
    }
    assertEquals(100, pacer.allow(1000));
  }

  @Test
  void theDebtCountsInThePaceSoAPassEndsBeforeItIsDue() {
    pacer.allow(1000);
    pacer.spent(360_100); // 360,000 ahead
    assertEquals(1100, pacer.rate(0, 0, 3_600_000));
  }

  @Test
  void waitingNeverSavesUpMoreThanOneTickAtTheCeiling() {
    for (int tick = 0; tick < 1000; tick++) {
      pacer.allow(CEILING);
    }
    assertEquals(CEILING / 10, pacer.allow(CEILING));
  }

  @Test
  void whatWasAllowedWhileClientsWereBusyIsDropped() {
    pacer.allow(1000);
    pacer.yielded();
    assertEquals(100, pacer.allow(1000), "not 200");

    pacer.spent(300);
    pacer.yielded();
    assertEquals(0, pacer.allow(1000), "a debt stays");
  }
}
