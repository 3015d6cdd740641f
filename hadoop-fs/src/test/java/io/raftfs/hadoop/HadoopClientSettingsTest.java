package io.raftfs.hadoop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.auth.AccessKey;
import io.raftfs.auth.CredentialsFile;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a Hadoop configuration and a {@code raftfs://} URI become the client's settings. */
class HadoopClientSettingsTest {
  private static final URI THREE_MASTERS = URI.create("raftfs://m1:9871,m2:9871,m3:9871/");

  @Test
  void theUriNamesTheMasters() throws IOException {
    HadoopClientSettings settings = resolve(THREE_MASTERS, new Configuration(false), Map.of());
    assertEquals(List.of("m1:9871", "m2:9871", "m3:9871"), settings.masters());
  }

  @Test
  void aLogicalNameTakesItsMastersFromTheConfiguration() throws IOException {
    Configuration conf = new Configuration(false);
    conf.set("fs.raftfs.cluster.prod.masters", "a:1, b:2");
    assertEquals(
        List.of("a:1", "b:2"), resolve(URI.create("raftfs://prod/x"), conf, Map.of()).masters());

    IOException unknown =
        assertThrows(
            IOException.class, () -> resolve(URI.create("raftfs://staging/x"), conf, Map.of()));
    assertTrue(
        unknown.getMessage().contains("fs.raftfs.cluster.staging.masters"), unknown::getMessage);
  }

  @Test
  void withoutAnAuthorityTheDefaultMastersServe() throws IOException {
    Configuration conf = new Configuration(false);
    assertThrows(IOException.class, () -> resolve(URI.create("raftfs:///x"), conf, Map.of()));
    conf.set("fs.raftfs.masters", "m:1");
    assertEquals(List.of("m:1"), resolve(URI.create("raftfs:///x"), conf, Map.of()).masters());
  }

  @Test
  void fsRaftfsAndRaftfsClientKeysReachTheClient() throws IOException {
    Configuration conf = new Configuration(false);
    conf.set("fs.raftfs.transfer.parallelism", "7");
    conf.set("raftfs.client.meta.call.deadline.ms", "1234");
    conf.set("fs.raftfs.impl.disable.cache", "true"); // Hadoop's own, not the client's
    conf.set("fs.raftfs.block.size", "1048576"); // the file system's own

    HadoopClientSettings settings = resolve(THREE_MASTERS, conf, Map.of());

    assertEquals(7, settings.client().transferParallelism());
    assertEquals(Duration.ofMillis(1234), settings.client().metaOptions().callDeadline());
    assertEquals(1L << 20, settings.get(HadoopConfigKeys.BLOCK_SIZE));
  }

  @Test
  void aBadOrUnknownSettingIsNamed() {
    Configuration conf = new Configuration(false);
    conf.set("fs.raftfs.transfer.paralelism", "7");
    IOException typo =
        assertThrows(IOException.class, () -> resolve(THREE_MASTERS, conf, Map.of()));
    assertTrue(typo.getMessage().contains("raftfs.client.transfer.paralelism"), typo::getMessage);

    Configuration bad = new Configuration(false);
    bad.set("fs.raftfs.replication", "99");
    IOException range =
        assertThrows(IOException.class, () -> resolve(THREE_MASTERS, bad, Map.of()));
    assertTrue(range.getMessage().contains("fs.raftfs.replication"), range::getMessage);
  }

  @Test
  void keysComeFromTheConfigurationThenTheCredentialsFileThenTheEnvironment(@TempDir Path dir)
      throws IOException {
    Map<String, String> env =
        Map.of("RAFTFS_ACCESS_KEY", "ENVKEY1234567890AB", "RAFTFS_SECRET_KEY", "s".repeat(40));
    Configuration conf = new Configuration(false);
    assertEquals("ENVKEY1234567890AB", accessKeyId(resolve(THREE_MASTERS, conf, env)));

    AccessKey fileKey = AccessKey.generate();
    Path file = dir.resolve("raftfs.credentials");
    CredentialsFile.create(file, fileKey);
    conf.set("fs.raftfs.credentials.file", file.toString());
    assertEquals(fileKey.id(), accessKeyId(resolve(THREE_MASTERS, conf, env)));

    AccessKey confKey = AccessKey.generate();
    conf.set("fs.raftfs.access.key", confKey.id());
    conf.set("fs.raftfs.secret.key", confKey.secret());
    assertEquals(confKey, resolve(THREE_MASTERS, conf, env).client().credentials().get());
  }

  @Test
  void noKeyAnywhereLeavesRequestsUnsigned() throws IOException {
    assertFalse(
        resolve(THREE_MASTERS, new Configuration(false), Map.of())
            .client()
            .credentials()
            .isPresent());
  }

  private static String accessKeyId(HadoopClientSettings settings) {
    return settings.client().credentials().orElseThrow().id();
  }

  private static HadoopClientSettings resolve(URI uri, Configuration conf, Map<String, String> env)
      throws IOException {
    return HadoopClientSettings.resolve(uri, conf, env);
  }
}
