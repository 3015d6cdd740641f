package io.raftfs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ConfigKeySetTest {
  private static final ConfigKey<Duration> TIMEOUT =
      ConfigKey.define(
          "raftfs.node.timeout.ms",
          ConfigTypes.DURATION_MS,
          Duration.ofSeconds(5),
          Range.atLeast(Duration.ofMillis(1)),
          "Give up after | this.");
  private static final ConfigKey<String> DIR =
      ConfigKey.required("raftfs.node.dir", ConfigTypes.STRING, "Where the node keeps its data.");
  private static final ConfigKeySet NODE =
      ConfigKeySet.of("Node", "Read by `node --config node.conf`.", List.of(DIR, TIMEOUT));

  private static Properties with(String... keyValues) {
    Properties properties = new Properties();
    for (int i = 0; i < keyValues.length; i += 2) {
      properties.setProperty(keyValues[i], keyValues[i + 1]);
    }
    return properties;
  }

  private static String refusal(Properties properties) {
    return assertThrows(ConfigException.class, () -> NODE.checkKnown(properties)).getMessage();
  }

  @Test
  void knownKeysAndKeysOutsideRaftfsPass() {
    NODE.checkKnown(
        with("raftfs.node.dir", "/d", "raft.server.rpc.timeout.min", "1s", "java.home", "x"));
  }

  @Test
  void anUnknownRaftfsKeyIsRefusedWithTheNearestKnownOne() {
    assertEquals(
        "unknown key raftfs.node.timout.ms (did you mean raftfs.node.timeout.ms?)",
        refusal(with("raftfs.node.dir", "/d", "raftfs.node.timout.ms", "5")));
    assertEquals("unknown key raftfs.other.thing", refusal(with("raftfs.other.thing", "1")));
  }

  @Test
  void ofSeveralUnknownKeysTheFirstInOrderIsNamed() {
    assertEquals("unknown key raftfs.a", refusal(with("raftfs.b", "1", "raftfs.a", "2")));
  }

  @Test
  void editDistanceCountsSingleCharacterEdits() {
    assertEquals(0, ConfigKeySet.editDistance("abc", "abc"));
    assertEquals(1, ConfigKeySet.editDistance("timout", "timeout"));
    assertEquals(2, ConfigKeySet.editDistance("intervall", "interva"));
    assertEquals(3, ConfigKeySet.editDistance("", "abc"));
  }

  @Test
  void aKeyOutsideRaftfsOrDeclaredTwiceIsADeclarationError() {
    ConfigKey<String> foreign = ConfigKey.required("other.dir", ConfigTypes.STRING, "x");
    assertThrows(IllegalArgumentException.class, () -> ConfigKeySet.of("x", "y", List.of(foreign)));
    assertThrows(
        IllegalArgumentException.class, () -> ConfigKeySet.of("x", "y", List.of(DIR, DIR)));
  }

  @Test
  void theDocumentationIsATableRowPerKey() {
    assertEquals(
        """
        ## Node

        Read by `node --config node.conf`.

        | key | type | default | valid values | meaning |
        | --- | --- | --- | --- | --- |
        | `raftfs.node.dir` | string | (required) |  | Where the node keeps its data. |
        | `raftfs.node.timeout.ms` | duration (ms) | 5000 (5 s) | at least 1 | Give up after \\| this. |
        """,
        ConfigDoc.section(NODE));
  }
}
