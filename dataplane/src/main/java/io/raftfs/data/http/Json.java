package io.raftfs.data.http;

import java.math.BigInteger;

/** JSON helpers for unsigned 64-bit values, which must not show up negative. */
public final class Json {
  private Json() {}

  public static Number unsigned(long value) {
    return value >= 0 ? value : new BigInteger(Long.toUnsignedString(value));
  }
}
