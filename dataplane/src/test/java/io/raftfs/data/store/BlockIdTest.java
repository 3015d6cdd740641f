package io.raftfs.data.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlockIdTest {
  @Test
  void acceptsTheWholeUnsignedRange() {
    assertEquals(0, BlockId.parse("0"));
    assertEquals(-1L, BlockId.parse("18446744073709551615"));
    assertEquals("18446744073709551615", BlockId.format(-1L));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " 1",
        "+1",
        "-1",
        "1.0",
        "0x1",
        "../1",
        "18446744073709551616",
        "000000000000000000001"
      })
  void rejectsAnythingElse(String text) {
    assertThrows(IllegalArgumentException.class, () -> BlockId.parse(text));
  }
}
