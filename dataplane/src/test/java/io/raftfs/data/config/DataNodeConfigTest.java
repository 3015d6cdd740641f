package io.raftfs.data.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DataNodeConfigTest {
  @Test
  void onlyTheDirectoryIsRequiredAndEverythingElseHasADefault() {
    DataNodeConfig config = DataNodeConfig.builder(Path.of("/data/dn")).build();
    assertEquals(Path.of("/data/dn"), config.dir());
    assertEquals(DataNodeConfigKeys.Http.HOST_DEFAULT, config.httpHost());
    assertEquals(DataNodeConfigKeys.Http.PORT_DEFAULT, config.httpPort());
    assertEquals(List.of(), config.masters());
    assertEquals(DataNodeConfigKeys.RESERVE_BYTES_DEFAULT, config.reserveBytes());
    assertTrue(config.capacityBytes().isEmpty());
    assertEquals(Duration.ofSeconds(1), config.heartbeatInterval());
    assertEquals(Duration.ofHours(1), config.blockReportInterval());
  }

  @Test
  void missingDirectoryIsAnError() {
    ConfigException e =
        assertThrows(ConfigException.class, () -> DataNodeConfig.fromProperties(new Properties()));
    assertEquals("raftfs.datanode.dir is required", e.getMessage());
  }

  @Test
  void mastersAreParsedAndTrimmed() {
    DataNodeConfig config =
        DataNodeConfig.builder(Path.of("d"))
            .set(DataNodeConfigKeys.MASTERS_KEY, " m1:9000, m2:9001 ,m3:9002")
            .build();
    assertEquals(List.of("m1:9000", "m2:9001", "m3:9002"), config.masters());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "raftfs.datanode.http.port | 70000 | raftfs.datanode.http.port must be between 0 and 65535",
        "raftfs.datanode.http.port | eighty | raftfs.datanode.http.port must be an integer",
        "raftfs.datanode.reserve.bytes | -1 | raftfs.datanode.reserve.bytes must be between",
        "raftfs.datanode.capacity.bytes | 0 | raftfs.datanode.capacity.bytes must be between",
        "raftfs.datanode.heartbeat.interval.ms | 1 | raftfs.datanode.heartbeat.interval.ms must be between",
        "raftfs.masters | m1:9000,m2 | raftfs.masters: 'm2' is not host:port",
        "raftfs.datanode.heartbeat.intervall.ms | 5 | unknown setting raftfs.datanode.heartbeat.intervall.ms",
      })
  void badValuesNameTheirKey(String key, String value, String message) {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> DataNodeConfig.builder(Path.of("d")).set(key, value).build());
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
  }
}
