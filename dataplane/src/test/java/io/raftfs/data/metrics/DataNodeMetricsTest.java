package io.raftfs.data.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.data.testing.BlockClient;
import io.raftfs.data.testing.BlockPattern;
import io.raftfs.data.testing.DataNodeFixture;
import io.raftfs.testing.PrometheusText;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics} of real data nodes: valid Prometheus text whose counters follow traffic. */
class DataNodeMetricsTest {
  @TempDir static Path dir;
  static Vertx vertx;
  static DataNodeFixture nodes;
  static BlockClient client;
  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    nodes = DataNodeFixture.start(vertx, dir, 2);
    client = new BlockClient(vertx);
  }

  @AfterAll
  static void stop() {
    client.close();
    nodes.close();
    vertx.close().await();
  }

  static PrometheusText scrape(String address) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://" + address + "/metrics"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    return PrometheusText.parse(response.body());
  }

  @Test
  void aClientAskingForCleartextHttp2IsAnsweredInHttp1() throws Exception {
    // The JDK's default client offers an h2c upgrade on a GET; raftfs speaks HTTP/1.1 only.
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://" + nodes.addresses().get(0) + "/metrics"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    assertEquals(HttpClient.Version.HTTP_1_1, response.version());
  }

  @Test
  void blocksBytesChecksumFailuresAndRequestLatencyAreCountedPerNode() throws Exception {
    String first = nodes.addresses().get(0);
    String second = nodes.addresses().get(1);
    BlockPattern pattern = new BlockPattern(7, 300_000);

    assertEquals(
        201, client.put(first, 1, pattern, List.of(second)).await(30, TimeUnit.SECONDS).status());
    assertEquals(
        422,
        client
            .put(first, 2, pattern, pattern.crc32c() + 1, List.of())
            .await(30, TimeUnit.SECONDS)
            .status());
    client.get(second, 1, pattern, null).await(30, TimeUnit.SECONDS);

    PrometheusText head = scrape(first);
    assertEquals(1, head.sum("raftfs_datanode_blocks_written_total"));
    assertEquals(300_000, head.sum("raftfs_datanode_written_bytes_total"));
    assertEquals(
        1, head.sum("raftfs_datanode_blocks_replicated_total"), "forwarded down the chain");
    assertEquals(300_000, head.sum("raftfs_datanode_replicated_bytes_total"));
    assertEquals(1, head.sum("raftfs_datanode_checksum_failures_total", "source=\"upload\""));
    assertEquals(0, head.sum("raftfs_datanode_blocks_read_total"));
    assertEquals(
        1,
        head.sum(
            "raftfs_datanode_request_seconds_count",
            "route=\"/blocks/:id\"",
            "method=\"PUT\"",
            "status=\"201\""));
    head.checkHistogram("raftfs_datanode_request_seconds", "method=\"PUT\"", "status=\"422\"");
    assertEquals(1, head.sum("raftfs_datanode_blocks"));
    assertEquals(300_000, head.sum("raftfs_datanode_disk_used_bytes"));
    assertTrue(head.sum("raftfs_datanode_disk_free_bytes") > 0);
    assertTrue(head.sum("raftfs_datanode_disk_capacity_bytes") > 0);

    PrometheusText tail = scrape(second);
    assertEquals(1, tail.sum("raftfs_datanode_blocks_written_total"), "stored as the chain's tail");
    assertEquals(0, tail.sum("raftfs_datanode_blocks_replicated_total"), "nothing after it");
    assertEquals(1, tail.sum("raftfs_datanode_blocks_read_total"));
    assertTrue(tail.sum("raftfs_datanode_read_bytes_total") >= 300_000);
    for (String name :
        List.of(
            "raftfs_datanode_checksum_failures_total",
            "raftfs_datanode_scrubber_scanned_bytes_total",
            "raftfs_datanode_scrubber_passes_total",
            "jvm_memory_used_bytes",
            "process_uptime_seconds")) {
      assertTrue(tail.has(name), name);
    }
  }

  @Test
  void scrubberMetricsSurviveGarbageCollection() throws Exception {
    // Micrometer holds gauge sources weakly: a collected supplier would read NaN.
    System.gc();
    PrometheusText metrics = scrape(nodes.addresses().get(0));
    assertFalse(Double.isNaN(metrics.sum("raftfs_datanode_scrubber_rate_bytes_per_second")));
    assertFalse(Double.isNaN(metrics.sum("raftfs_datanode_scrubber_scanned_bytes_total")));
  }

  @Test
  void oddPathsShareOneRouteLabel() throws Exception {
    String node = nodes.addresses().get(0);
    for (String path : List.of("/a", "/b", "/c")) {
      HTTP.send(
          HttpRequest.newBuilder(URI.create("http://" + node + path))
              .timeout(Duration.ofSeconds(10))
              .build(),
          HttpResponse.BodyHandlers.discarding());
    }
    PrometheusText metrics = scrape(node);
    assertTrue(
        metrics.sum("raftfs_datanode_request_seconds_count", "route=\"other\"", "status=\"404\"")
            >= 3);
    assertTrue(
        metrics.samples.keySet().stream().noneMatch(k -> k.contains("route=\"/a\"")),
        "no label per path");
  }
}
