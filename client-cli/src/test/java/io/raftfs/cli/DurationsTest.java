package io.raftfs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void parsesMillisecondsSecondsAndMinutesWithSecondsAsDefault() {
    assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
    assertEquals(Duration.ofSeconds(30), Durations.parse("30s"));
    assertEquals(Duration.ofSeconds(30), Durations.parse("30"));
    assertEquals(Duration.ofMinutes(2), Durations.parse("2m"));
  }

  @Test
  void rejectsZeroAndGarbage() {
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("0s"));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("soon"));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("1h"));
  }

  @Test
  void clockShowsHoursOnlyWhenNeeded() {
    assertEquals("0:07", Durations.clock(7));
    assertEquals("12:34", Durations.clock(754));
    assertEquals("1:02:03", Durations.clock(3723));
  }
}
