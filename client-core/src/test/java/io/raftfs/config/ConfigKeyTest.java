package io.raftfs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ConfigKeyTest {
  private static final ConfigKey<Duration> INTERVAL =
      ConfigKey.define(
          "raftfs.test.interval.ms",
          ConfigTypes.DURATION_MS,
          Duration.ofSeconds(1),
          Range.between(Duration.ofMillis(10), Duration.ofHours(1)),
          "How often.");

  private static final ConfigKey<Long> CAPACITY =
      ConfigKey.optional(
          "raftfs.test.capacity.bytes",
          ConfigTypes.BYTES,
          Range.atLeast(1L),
          "the disk's usable space",
          "Most bytes stored.");

  private static final ConfigKey<String> DIR =
      ConfigKey.required("raftfs.test.dir", ConfigTypes.STRING, "Where.");

  private static Properties with(String key, String value) {
    Properties properties = new Properties();
    properties.setProperty(key, value);
    return properties;
  }

  @Test
  void anUnsetOrBlankKeyHasItsDefault() {
    assertEquals(Duration.ofSeconds(1), INTERVAL.get(new Properties()));
    assertEquals(Duration.ofSeconds(1), INTERVAL.get(with(INTERVAL.name(), "  ")));
    assertEquals(Duration.ofSeconds(30), INTERVAL.get(with(INTERVAL.name(), " 30s ")));
  }

  @Test
  void boundsAreCheckedAndTheFailureNamesTheKey() {
    ConfigException low =
        assertThrows(ConfigException.class, () -> INTERVAL.get(with(INTERVAL.name(), "5")));
    assertEquals("raftfs.test.interval.ms: 5 is out of range (10 to 3600000)", low.getMessage());
    ConfigException unparsable =
        assertThrows(ConfigException.class, () -> INTERVAL.get(with(INTERVAL.name(), "soon")));
    assertTrue(unparsable.getMessage().startsWith("raftfs.test.interval.ms: 'soon' is not a"));
    ConfigException zero =
        assertThrows(ConfigException.class, () -> CAPACITY.get(with(CAPACITY.name(), "0")));
    assertEquals("raftfs.test.capacity.bytes: 0 is out of range (at least 1)", zero.getMessage());
  }

  @Test
  void aRequiredKeyMustBeSetAndAnOptionalOneMayBeMissing() {
    assertEquals(
        "raftfs.test.dir is required",
        assertThrows(ConfigException.class, () -> DIR.get(new Properties())).getMessage());
    assertEquals(Optional.empty(), CAPACITY.find(new Properties()));
    assertEquals(Optional.of(64L << 30), CAPACITY.find(with(CAPACITY.name(), "64GiB")));
  }

  @Test
  void aDefaultOutsideItsOwnBoundsIsADeclarationError() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            ConfigKey.define(
                "raftfs.test.port", ConfigTypes.INTEGER, 70000, Range.between(0, 65535), "Port."));
  }

  @Test
  void theKeyDescribesItsDefaultAndItsValidValues() {
    assertEquals("1000 (1 s)", INTERVAL.describeDefault());
    assertEquals("10 to 3600000", INTERVAL.describeValid());
    assertEquals("the disk's usable space", CAPACITY.describeDefault());
    assertEquals("at least 1", CAPACITY.describeValid());
    assertEquals("(required)", DIR.describeDefault());
    assertEquals("", DIR.describeValid());
  }
}
