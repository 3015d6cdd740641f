package io.raftfs.meta.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.client.meta.MetaClient;
import io.raftfs.client.meta.PathNotFoundException;
import io.raftfs.testing.PrometheusText;
import io.raftfs.testing.cluster.MasterGroup;
import io.raftfs.testing.cluster.MiniRaftfsCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics} of real masters: valid Prometheus text, and counters that move. */
class MasterMetricsEndpointTest {
  @TempDir static Path dir;
  static MasterGroup cluster;
  static MetaClient client;
  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() {
    // Plaintext: this test speaks raw HTTP; TLS is TlsClusterTest's.
    cluster = MiniRaftfsCluster.builder().tls(false).build().start(dir).masters();
    client = cluster.newClient();
    cluster.awaitLeader();
  }

  @AfterAll
  static void stop() {
    client.close();
    cluster.close();
  }

  static HttpResponse<String> get(int master, String path) throws Exception {
    String address = cluster.httpAddresses().get(master);
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://" + address + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static PrometheusText scrape(int master) throws Exception {
    HttpResponse<String> response = get(master, "/metrics");
    assertEquals(200, response.statusCode());
    assertTrue(
        response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
        "Content-Type " + response.headers().firstValue("Content-Type"));
    return PrometheusText.parse(response.body());
  }

  @Test
  void aClientAskingForCleartextHttp2IsAnsweredInHttp1() throws Exception {
    // The JDK's default client offers an h2c upgrade on a GET; such scrapes were seen to hang.
    HttpClient defaults = HttpClient.newHttpClient();
    HttpResponse<String> response =
        defaults.send(
            HttpRequest.newBuilder(
                    URI.create("http://" + cluster.httpAddresses().get(0) + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    assertEquals(HttpClient.Version.HTTP_1_1, response.version());
  }

  @Test
  void everyMasterExposesValidPrometheusTextWithRaftJvmAndClusterMetrics() throws Exception {
    int leader = cluster.awaitLeader();
    for (int i = 0; i < cluster.size(); i++) {
      PrometheusText metrics = scrape(i);
      assertEquals(
          i == leader ? 1.0 : 0.0, metrics.sum("raftfs_master_raft_leader"), "master " + i);
      assertEquals(1.0, metrics.sum("raftfs_master_raft_role"), "exactly one role is 1");
      assertTrue(metrics.sum("raftfs_master_raft_term") >= 1);
      assertTrue(metrics.has("raftfs_master_raft_commit_index"));
      assertTrue(metrics.has("raftfs_master_raft_applied_index"));
      assertTrue(metrics.sum("raftfs_master_leader_changes_total") >= 1);
      for (String name :
          new String[] {
            "raftfs_namespace_files",
            "raftfs_namespace_directories",
            "raftfs_namespace_blocks",
            "raftfs_namespace_file_data_bytes",
            "raftfs_blocks_under_replicated",
            "raftfs_blocks_missing",
            "raftfs_replicas_corrupt",
            "raftfs_repair_pending_copies",
            "raftfs_repair_copies_completed_total",
            "jvm_memory_used_bytes",
            "jvm_threads_live_threads",
            "process_uptime_seconds",
            "system_cpu_count"
          }) {
        assertTrue(metrics.has(name), name + " on master " + i);
      }
      metrics.sum("raftfs_datanodes", "state=\"live\"");
      metrics.sum("raftfs_datanodes", "state=\"dead\"");
    }
  }

  @Test
  void operationCountersLatencyAndBatchSizesMoveWhenOperationsRun() throws Exception {
    int leader = cluster.awaitLeader();
    PrometheusText before = scrape(leader);
    double mkdirs = countOrZero(before, "op=\"mkdir\",result=\"OK\"");
    double batches =
        before.has("raftfs_meta_batch_requests_count")
            ? before.sum("raftfs_meta_batch_requests_count")
            : 0;

    for (int i = 0; i < 5; i++) {
      client.mkdir("/metrics-" + i, false);
    }
    assertThrows(PathNotFoundException.class, () -> client.stat("/no-such-file"));

    PrometheusText after = scrape(cluster.awaitLeader());
    assertEquals(mkdirs + 5, countOrZero(after, "op=\"mkdir\",result=\"OK\""));
    assertTrue(countOrZero(after, "op=\"stat\",result=\"NOT_FOUND\"") >= 1);
    assertTrue(after.sum("raftfs_meta_batch_requests_count") >= batches + 1);
    assertTrue(after.sum("raftfs_namespace_directories") >= 5);
    after.checkHistogram("raftfs_meta_operation_seconds", "op=\"mkdir\"", "result=\"OK\"");
    after.checkHistogram("raftfs_meta_batch_requests");
  }

  private static double countOrZero(PrometheusText metrics, String labels) {
    String[] pair = labels.split(",");
    return metrics.samples.keySet().stream()
            .anyMatch(
                k ->
                    k.startsWith("raftfs_meta_operations_total{")
                        && k.contains(pair[0])
                        && k.contains(pair[1]))
        ? metrics.sum("raftfs_meta_operations_total", pair)
        : 0;
  }

  @Test
  void prometheusTextReaderRejectsMalformedLines() {
    assertThrows(AssertionError.class, () -> PrometheusText.parse("x 1\n"));
    assertThrows(AssertionError.class, () -> PrometheusText.parse("# TYPE x gauge\nx{a=b} 1\n"));
    assertThrows(AssertionError.class, () -> PrometheusText.parse("# TYPE x gauge\nx one\n"));
    assertEquals(
        2.5, PrometheusText.parse("# HELP x h\n# TYPE x gauge\nx{a=\"q\\\"\"} 2.5\n").sum("x"));
  }
}
