package io.raftfs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigTypesTest {
  @ParameterizedTest
  @CsvSource({
    "200, 200",
    "200ms, 200",
    "3_600_000, 3600000",
    "30s, 30000",
    "5m, 300000",
    "1h, 3600000",
    "1d, 86400000",
    "0, 0"
  })
  void durationsArePlainMillisecondsOrCarryAUnit(String text, long millis) {
    assertEquals(Duration.ofMillis(millis), ConfigTypes.DURATION_MS.parse(text));
  }

  @ParameterizedTest
  @CsvSource({"336, 1209600000", "14d, 1209600000", "12h, 43200000", "30s, 30000", "0, 0"})
  void hourDurationsArePlainHoursOrCarryAUnit(String text, long millis) {
    assertEquals(Duration.ofMillis(millis), ConfigTypes.DURATION_HOURS.parse(text));
  }

  @ParameterizedTest
  @CsvSource({
    "268435456, 268435456",
    "4096b, 4096",
    "64KiB, 65536",
    "64k, 65536",
    "256MiB, 268435456",
    "256m, 268435456",
    "10GiB, 10737418240",
    "1t, 1099511627776"
  })
  void sizesArePlainBytesOrCarryABinaryUnit(String text, long bytes) {
    assertEquals(bytes, ConfigTypes.BYTES.parse(text));
  }

  @Test
  void whatReadsBackIsWhatWasWritten() {
    Duration hour = Duration.ofHours(1);
    assertEquals(hour, ConfigTypes.DURATION_MS.parse(ConfigTypes.DURATION_MS.format(hour)));
    for (Duration d : List.of(hour, Duration.ofSeconds(90), Duration.ofMillis(1500))) {
      assertEquals(d, ConfigTypes.DURATION_HOURS.parse(ConfigTypes.DURATION_HOURS.format(d)));
    }
    assertEquals("90s", ConfigTypes.DURATION_HOURS.format(Duration.ofSeconds(90)));
    assertEquals(
        List.of("a:1", "b:2"),
        ConfigTypes.HOST_PORTS.parse(ConfigTypes.HOST_PORTS.format(List.of("a:1", "b:2"))));
  }

  @Test
  void theDocsShowLargeValuesInUnits() {
    assertEquals("3600000 (1 h)", ConfigTypes.DURATION_MS.describe(Duration.ofHours(1)));
    assertEquals("1500", ConfigTypes.DURATION_MS.describe(Duration.ofMillis(1500)));
    assertEquals("336 (14 d)", ConfigTypes.DURATION_HOURS.describe(Duration.ofDays(14)));
    assertEquals("5", ConfigTypes.DURATION_HOURS.describe(Duration.ofHours(5)));
    assertEquals("268435456 (256 MiB)", ConfigTypes.BYTES.describe(256L << 20));
    assertEquals("1000", ConfigTypes.BYTES.describe(1000L));
  }

  @Test
  void hostPortListsDropBlanksAndRefuseAnAddressWithoutAPort() {
    assertEquals(List.of("m1:1", "m2:2"), ConfigTypes.HOST_PORTS.parse(" m1:1, ,m2:2 "));
    assertEquals("'m2' is not host:port", message(() -> ConfigTypes.HOST_PORTS.parse("m1:1,m2")));
    assertEquals(
        "'m2:99999' is not host:port", message(() -> ConfigTypes.HOST_PORTS.parse("m2:99999")));
  }

  @Test
  void badTextSaysWhatItShouldHaveBeen() {
    assertEquals("'ten' is not an integer", message(() -> ConfigTypes.LONG.parse("ten")));
    assertEquals(
        "'3000000000' is too large", message(() -> ConfigTypes.INTEGER.parse("3000000000")));
    assertEquals(
        "'10 sec' is not a duration (e.g. 500, 500ms, 30s, 5m, 1h)",
        message(() -> ConfigTypes.DURATION_MS.parse("10 sec")));
    assertEquals(
        "'-1' is not a size (e.g. 4096, 64KiB, 256MiB, 10GiB)",
        message(() -> ConfigTypes.BYTES.parse("-1")));
    assertEquals("'16EiB' is too large", message(() -> ConfigTypes.BYTES.parse("16EiB")));
  }

  private static String message(Runnable parse) {
    return assertThrows(IllegalArgumentException.class, parse::run).getMessage();
  }
}
