package io.raftfs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProgressBarTest {
  private static final long MIB = 1 << 20;

  @Test
  void showsPercentBarSizesRateAndEta() {
    assertEquals(
        "big.bin  25% [======>                 ] 75.0 MiB / 300.0 MiB  50.0 MiB/s  ETA 0:05",
        ProgressBar.line("big.bin", 75 * MIB, 300 * MIB, 50 * MIB));
  }

  @Test
  void showsDoneAtTheEnd() {
    assertEquals(
        "f 100% [========================] 2.0 MiB / 2.0 MiB  1.0 MiB/s  done",
        ProgressBar.line("f", 2 * MIB, 2 * MIB, MIB));
  }

  @Test
  void showsNoEtaWhileStalled() {
    assertEquals(
        "f   0% [>                       ] 0 B / 1.0 KiB  0 B/s  ETA --:--",
        ProgressBar.line("f", 0, 1024, 0));
  }

  @Test
  void showsBytesAndRateWhenTheTotalIsUnknown() {
    assertEquals("stdin  3.0 MiB  1.5 MiB/s", ProgressBar.line("stdin", 3 * MIB, -1, 1.5 * MIB));
  }

  @Test
  void anEmptyFileIsComplete() {
    assertEquals(
        "e 100% [========================] 0 B / 0 B  0 B/s  done", ProgressBar.line("e", 0, 0, 0));
  }
}
