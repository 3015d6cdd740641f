package io.raftfs.data.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.config.ConfigException;
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
    assertEquals(DataNodeConfigKeys.Http.HOST.defaultValue(), config.httpHost());
    assertEquals(0, config.httpPort());
    assertEquals(List.of(), config.masters());
    assertEquals(256L << 20, config.reserveBytes());
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
            .set(DataNodeConfigKeys.MASTERS.name(), " m1:9000, m2:9001 ,m3:9002")
            .build();
    assertEquals(List.of("m1:9000", "m2:9001", "m3:9002"), config.masters());
  }

  @Test
  void sizesAndDurationsTakeUnitsAsWellAsPlainNumbers() {
    DataNodeConfig config =
        DataNodeConfig.builder(Path.of("d"))
            .set(DataNodeConfigKeys.RESERVE_BYTES.name(), "10GiB")
            .set(DataNodeConfigKeys.BlockReport.INTERVAL.name(), "6h")
            .set(DataNodeConfigKeys.Heartbeat.INTERVAL.name(), "500")
            .build();
    assertEquals(10L << 30, config.reserveBytes());
    assertEquals(Duration.ofHours(6), config.blockReportInterval());
    assertEquals(Duration.ofMillis(500), config.heartbeatInterval());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "raftfs.datanode.http.port | 70000 | raftfs.datanode.http.port: 70000 is out of range (0 to 65535)",
        "raftfs.datanode.http.port | eighty | raftfs.datanode.http.port: 'eighty' is not an integer",
        "raftfs.datanode.reserve.bytes | -1 | raftfs.datanode.reserve.bytes: '-1' is not a size",
        "raftfs.datanode.capacity.bytes | 0 | raftfs.datanode.capacity.bytes: 0 is out of range (at least 1)",
        "raftfs.datanode.heartbeat.interval.ms | 1 | raftfs.datanode.heartbeat.interval.ms: 1 is out of range (10 to 3600000)",
        "raftfs.masters | m1:9000,m2 | raftfs.masters: 'm2' is not host:port",
        "raftfs.datanode.heartbeat.intervall.ms | 5 | unknown key raftfs.datanode.heartbeat.intervall.ms (did you mean raftfs.datanode.heartbeat.interval.ms?)",
        "raftfs.master.id | m1 | unknown key raftfs.master.id",
      })
  void badValuesNameTheirKey(String key, String value, String message) {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> DataNodeConfig.builder(Path.of("d")).set(key, value).build());
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
  }
}
