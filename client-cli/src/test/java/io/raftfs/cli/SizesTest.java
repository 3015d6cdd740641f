package io.raftfs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SizesTest {

  @ParameterizedTest
  @CsvSource({
    "4096, 4096",
    "0, 0",
    "12b, 12",
    "512k, 524288",
    "8m, 8388608",
    "8M, 8388608",
    "8MB, 8388608",
    "8MiB, 8388608",
    "64 mib, 67108864",
    "1g, 1073741824",
    "2t, 2199023255552"
  })
  void parsesBinaryUnits(String text, long bytes) {
    assertEquals(bytes, Sizes.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "m", "8x", "-1", "1.5m", "8 m b", "9223372036854775808", "8388608t"})
  void rejectsWhatIsNotASize(String text) {
    assertThrows(IllegalArgumentException.class, () -> Sizes.parse(text));
  }

  @Test
  void formatsWithOneDecimalInTheLargestWholeUnit() {
    assertEquals("0 B", Sizes.format(0));
    assertEquals("1023 B", Sizes.format(1023));
    assertEquals("1.0 KiB", Sizes.format(1024));
    assertEquals("1.5 MiB", Sizes.format(3L << 19));
    assertEquals("300.0 MiB", Sizes.format(300L << 20));
    assertEquals("2.0 TiB", Sizes.format(2L << 40));
  }
}
