package io.raftfs.data.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteRangeTest {
  @ParameterizedTest
  @CsvSource({
    "'bytes=0-0', 0, 1",
    "'bytes=0-99', 0, 100",
    "'bytes=0-1000', 0, 100",
    "'bytes=99-', 99, 1",
    "'bytes=-1', 99, 1",
    "'bytes=-500', 0, 100",
    "' bytes= 10 - 19 ', 10, 10",
  })
  void satisfiableRanges(String header, long offset, long length) {
    assertEquals(Optional.of(new ByteRange(offset, length)), ByteRange.parse(header, 100));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "bytes=100-",
        "bytes=5-4",
        "bytes=-0",
        "bytes=",
        "bytes=a-b",
        "bits=0-1",
        "bytes=0-1,3-4",
        "bytes=-"
      })
  void unsatisfiableRanges(String header) {
    assertTrue(ByteRange.parse(header, 100).isEmpty());
  }
}
