package io.raftfs.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class OneLineTest {
  @Test
  void controlCharactersOfAnyKindBecomeQuestionMarks() {
    assertEquals(
        "a?b?[2Jc?d?e?f", OneLine.of("a\u0000b\u001b[2Jc\nd\u007fe\u009bf", OneLine.MAX_CHARS));
    assertEquals("é ü ✓ \t".replace('\t', '?'), OneLine.of("é ü ✓ \t", OneLine.MAX_CHARS));
  }

  @Test
  void aLongTextIsCut() {
    assertEquals("abc…", OneLine.of("abcdef", 3));
    assertEquals("abc", OneLine.of("abc", 3));
  }
}
