package io.raftfs.protocol;

/**
 * The CRC32C of concatenated data from the CRC32Cs of its parts, without the data: a file's
 * checksum from its blocks' committed checksums. It multiplies the first CRC by x^(8·length of the
 * second part) modulo the CRC32C polynomial, in GF(2) (the method of zlib's {@code crc32_combine},
 * matrices of 32 columns squared once per bit of the length).
 *
 * <pre>{@code
 * int whole = Crc32cComposition.compose(crcOfA, crcOfB, lengthOfB); // == CRC32C(A ++ B)
 * }</pre>
 */
public final class Crc32cComposition {
  /** CRC32C's (Castagnoli) polynomial, bit-reflected as the checksum is computed. */
  private static final long POLYNOMIAL = 0x82F63B78L;

  private static final int BITS = 32;

  private Crc32cComposition() {}

  /**
   * The CRC32C of A followed by B.
   *
   * @param first CRC32C of A
   * @param second CRC32C of B
   * @param secondLength bytes in B
   */
  public static int compose(int first, int second, long secondLength) {
    if (secondLength < 0) {
      throw new IllegalArgumentException("negative length " + secondLength);
    }
    if (secondLength == 0) {
      return first;
    }
    long[] even = new long[BITS]; // the operator for an even power of two zero bits
    long[] odd = new long[BITS];
    odd[0] = POLYNOMIAL; // one zero bit
    for (int n = 1; n < BITS; n++) {
      odd[n] = 1L << (n - 1);
    }
    square(even, odd); // two zero bits
    square(odd, even); // four zero bits
    long crc = first & 0xFFFF_FFFFL;
    long length = secondLength;
    // Each round squares the operator (one zero byte, then two, four, ...) and applies it for
    // every set bit of the length.
    while (true) {
      square(even, odd);
      if ((length & 1) != 0) {
        crc = times(even, crc);
      }
      length >>>= 1;
      if (length == 0) {
        break;
      }
      square(odd, even);
      if ((length & 1) != 0) {
        crc = times(odd, crc);
      }
      length >>>= 1;
      if (length == 0) {
        break;
      }
    }
    return (int) (crc ^ (second & 0xFFFF_FFFFL));
  }

  private static long times(long[] matrix, long vector) {
    long sum = 0;
    for (int i = 0; vector != 0; i++, vector >>>= 1) {
      if ((vector & 1) != 0) {
        sum ^= matrix[i];
      }
    }
    return sum;
  }

  private static void square(long[] result, long[] matrix) {
    for (int n = 0; n < BITS; n++) {
      result[n] = times(matrix, matrix[n]);
    }
  }
}
