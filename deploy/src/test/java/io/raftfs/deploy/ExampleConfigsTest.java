package io.raftfs.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.raftfs.client.config.ClientConfig;
import io.raftfs.client.config.ClientConfigKeys;
import io.raftfs.config.ConfigKey;
import io.raftfs.config.ConfigKeySet;
import io.raftfs.data.config.DataNodeConfig;
import io.raftfs.data.config.DataNodeConfigKeys;
import io.raftfs.meta.config.MasterConfig;
import io.raftfs.meta.config.MasterConfigKeys;
import io.raftfs.s3.config.S3ConfigKeys;
import io.raftfs.s3.config.S3GatewayConfig;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The example configs in deploy/src/conf/ are valid, and each lists every key of its process: set,
 * or commented out with its default, so an operator finds every knob in the file itself.
 */
class ExampleConfigsTest {
  private static final Path CONF = Path.of("src", "conf");
  private static final Pattern COMMENTED = Pattern.compile("#\\s*(raftfs\\.[^=\\s]+)\\s*=(.*)");

  @ParameterizedTest
  @CsvSource({
    "master.conf, master",
    "examples/three-hosts/master-meta-1.conf, master",
    "examples/three-hosts/master-meta-2.conf, master",
    "examples/three-hosts/master-meta-3.conf, master",
    "datanode.conf, datanode",
    "examples/three-hosts/datanode.conf, datanode",
    "raftfs.conf, client",
    "s3.conf, s3",
    "examples/three-hosts/raftfs.conf, client"
  })
  void listsEveryKeyOfItsProcessAndIsValid(String file, String process) throws IOException {
    String text = Files.readString(CONF.resolve(file));
    Properties set = new Properties();
    set.load(new StringReader(text));
    if (!process.equals("s3")) {
      // A gateway's file holds the client's keys too; S3GatewayConfig checks both.
      keysOf(process).checkKnown(set);
    }
    check(process).accept(set);

    List<String> problems = new ArrayList<>();
    List<String> commented = new ArrayList<>();
    for (String line : text.lines().toList()) {
      Matcher m = COMMENTED.matcher(line.strip());
      if (!m.matches()) {
        continue;
      }
      String name = m.group(1);
      commented.add(name);
      ConfigKey<?> key =
          keysOf(process).keys().stream()
              .filter(k -> k.name().equals(name))
              .findFirst()
              .orElse(null);
      if (key == null) {
        problems.add(name + " is not a key of a " + process);
      } else if (!m.group(2).strip().equals(formattedDefault(key))) {
        problems.add(name + " shows '" + m.group(2).strip() + "', not its default");
      }
    }
    for (ConfigKey<?> key : keysOf(process).keys()) {
      if (!set.containsKey(key.name()) && !commented.contains(key.name())) {
        problems.add(
            key.name() + " is missing (add #" + key.name() + "=" + formattedDefault(key) + ")");
      }
    }
    assertEquals(List.of(), problems, file);
  }

  private static <T> String formattedDefault(ConfigKey<T> key) {
    T value = key.defaultValue();
    return value == null ? "" : key.type().format(value);
  }

  private static ConfigKeySet keysOf(String process) {
    return switch (process) {
      case "master" -> MasterConfigKeys.ALL;
      case "datanode" -> DataNodeConfigKeys.ALL;
      case "s3" -> S3ConfigKeys.ALL;
      default -> ClientConfigKeys.ALL;
    };
  }

  private static Consumer<Properties> check(String process) {
    return switch (process) {
      case "master" -> MasterConfig::from;
      case "datanode" -> DataNodeConfig::fromProperties;
      case "s3" -> S3GatewayConfig::fromProperties;
      default -> ClientConfig::fromProperties;
    };
  }
}
