package io.raftfs.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class Crc32cCompositionTest {
  @Test
  void composingThePartsGivesTheChecksumOfTheWhole() {
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      byte[] data = new byte[random.nextInt(300_000)];
      random.nextBytes(data);
      int cut = data.length == 0 ? 0 : random.nextInt(data.length + 1);
      int first = crc(data, 0, cut);
      int second = crc(data, cut, data.length - cut);
      assertEquals(
          crc(data, 0, data.length), Crc32cComposition.compose(first, second, data.length - cut));
    }
  }

  @Test
  void manyPartsComposeInOrderStartingFromTheEmptyChecksum() {
    byte[] data = new byte[1_000_003];
    new Random(7).nextBytes(data);
    int composed = 0; // CRC32C of no bytes
    for (int at = 0; at < data.length; at += 65_536) {
      int n = Math.min(65_536, data.length - at);
      composed = Crc32cComposition.compose(composed, crc(data, at, n), n);
    }
    assertEquals(crc(data, 0, data.length), composed);
  }

  private static int crc(byte[] data, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(data, offset, length);
    return (int) crc.getValue();
  }
}
