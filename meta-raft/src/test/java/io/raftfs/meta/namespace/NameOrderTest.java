package io.raftfs.meta.namespace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NameOrderTest {
  // One of each UTF-8 length, and both sides of the place where UTF-16 and code point order part:
  // U+E000 and U+FFFD (3 bytes, after the surrogates in UTF-16) and U+1D11E (4 bytes, a pair).
  private static final String[] PIECES = {
    "a", "b", "~", "é", "ÿ", "中", "\uE000", "\uFFFD", "\uD834\uDD1E", "\uD83D\uDE00"
  };

  @Test
  void utf8NamesCompareAsTheirStringsDo() {
    Random random = new Random(11);
    for (int i = 0; i < 100_000; i++) {
      String a = randomName(random);
      String b = random.nextInt(4) == 0 ? a + randomName(random) : randomName(random);
      int expected = Integer.signum(a.compareTo(b));
      int actual =
          Integer.signum(
              NameOrder.compare(
                  a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
      assertEquals(expected, actual, a + " vs " + b);
    }
  }

  private static String randomName(Random random) {
    StringBuilder name = new StringBuilder();
    for (int length = 1 + random.nextInt(4); length > 0; length--) {
      name.append(PIECES[random.nextInt(PIECES.length)]);
    }
    return name.toString();
  }
}
