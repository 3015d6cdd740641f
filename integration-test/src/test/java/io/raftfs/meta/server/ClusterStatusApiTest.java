package io.raftfs.meta.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.client.meta.ClusterStatusJson;
import io.raftfs.client.meta.MetaClient;
import io.raftfs.client.meta.PathNotFoundException;
import io.raftfs.proto.ClusterStatus;
import io.raftfs.proto.MasterStatus;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaRequestList;
import io.raftfs.proto.MkdirRequest;
import io.raftfs.testing.Await;
import io.raftfs.testing.cluster.MasterGroup;
import io.raftfs.testing.cluster.MiniRaftfsCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/cluster} and the page's assets, on real masters, across a leader change. */
class ClusterStatusApiTest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir Path dir;

  private static HttpResponse<String> get(String address, String path) {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create("http://" + address + path))
              .timeout(Duration.ofSeconds(5))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError("GET " + address + path, e);
    }
  }

  private static JsonObject cluster(String address) {
    HttpResponse<String> response = get(address, "/api/cluster");
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  /** The leader named by {@code address} if that master also reports itself LEADER. */
  private static String reportedLeader(String address) {
    JsonObject status = cluster(address);
    String leader = status.getString("leaderId");
    for (Object m : status.getJsonArray("masters")) {
      JsonObject master = (JsonObject) m;
      if (master.getString("id").equals(leader) && master.getString("role").equals("LEADER")) {
        return leader;
      }
    }
    return null;
  }

  @Test
  void everyMasterReportsTheLeaderBeforeAndAfterTheLeaderIsStopped() {
    // Plaintext: this test speaks raw HTTP; TLS is TlsClusterTest's.
    try (MasterGroup cluster = MiniRaftfsCluster.builder().tls(false).build().start(dir).masters();
        MetaClient client = cluster.newClient()) {
      client.mkdir("/before", false);
      // Every master names the same leader, and that master is the one leading.
      String firstId =
          Await.value(
              MasterGroup.LEADER_TIMEOUT,
              "every master to report the current leader",
              () -> {
                String leader = cluster.master(cluster.awaitLeader()).id();
                for (String address : cluster.httpAddresses()) {
                  if (!leader.equals(reportedLeader(address))) {
                    return null;
                  }
                }
                return leader;
              });
      int first = cluster.awaitLeader();
      assertEquals(firstId, cluster.master(first).id());

      cluster.stop(first);
      int second = cluster.awaitLeader();
      String secondId = cluster.master(second).id();
      assertNotEquals(firstId, secondId);
      for (int i = 0; i < cluster.size(); i++) {
        if (i == first) {
          continue;
        }
        String address = cluster.httpAddresses().get(i);
        assertEquals(
            secondId,
            Await.value(
                MasterGroup.LEADER_TIMEOUT,
                "new leader at " + address,
                () -> reportedLeader(address)));
        JsonObject status = cluster(address);
        assertEquals(3, status.getJsonArray("masters").size());
        JsonObject stopped = master(status.getJsonArray("masters"), firstId);
        assertEquals("UNREACHABLE", stopped.getString("role"));
        assertTrue(
            status.getJsonArray("events").stream()
                .map(JsonObject.class::cast)
                .anyMatch(
                    e ->
                        e.getString("kind").equals("LEADER_CHANGED")
                            && e.getString("nodeId").equals(secondId)
                            && Long.parseLong(e.getString("term")) > 0),
            "a LEADER_CHANGED event for " + secondId + " in " + status.getJsonArray("events"));
      }
    }
  }

  @Test
  void apiClusterIsThePrintedProtobufJsonOfClusterStatusWithEveryField() throws Exception {
    try (MasterGroup cluster = MiniRaftfsCluster.builder().tls(false).build().start(dir).masters();
        MetaClient client = cluster.newClient()) {
      int leader = cluster.awaitLeader();
      client.registerDataNode("dn-1", "127.0.0.1:1", 1000);
      JsonObject json = cluster(cluster.httpAddresses().get(leader));
      ClusterStatus.Builder parsed = ClusterStatus.newBuilder();
      com.google.protobuf.util.JsonFormat.parser().merge(json.encode(), parsed);
      for (String field :
          new String[] {
            "leaderId",
            "masters",
            "dataNodes",
            "files",
            "directories",
            "blocks",
            "bytes",
            "underReplicatedBlocks",
            "missingBlocks",
            "corruptReplicas",
            "pendingCopies",
            "events",
            "timeMillis",
            "answeredBy"
          }) {
        assertTrue(json.containsKey(field), field + " in " + json);
      }
      assertEquals("dn-1", parsed.getDataNodes(0).getNodeId());
      assertEquals(
          new JsonObject(ClusterStatusJson.print(parsed.build())), json, "same shape as the CLI");
      for (MasterStatus master : parsed.getMastersList()) {
        assertTrue(master.getTerm() > 0, master.toString());
      }
    }
  }

  @Test
  void everyMasterServesTheClusterPageAndItsAssets() {
    try (MasterGroup cluster =
        MiniRaftfsCluster.builder().tls(false).build().start(dir).masters()) {
      for (String address : cluster.httpAddresses()) {
        HttpResponse<String> page = get(address, "/");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<script src=\"cluster.js\">"), page.body());
        assertEquals(200, get(address, "/cluster.js").statusCode());
        assertEquals(200, get(address, "/cluster.css").statusCode());
        assertEquals(404, get(address, "/no-such-asset.js").statusCode());
      }
    }
  }

  @Test
  void onlyPagesOfThisClustersMastersReadTheStatusAndEveryPostMustBeProtobuf() throws Exception {
    try (MasterGroup cluster = MiniRaftfsCluster.builder().tls(false).build().start(dir).masters();
        MetaClient client = cluster.newClient()) {
      cluster.awaitLeader();
      String first = cluster.httpAddresses().get(0);
      String peerOrigin = "http://" + cluster.httpAddresses().get(1);
      assertEquals(peerOrigin, allowedOrigin(first, peerOrigin), "a page served by another master");
      assertEquals("", allowedOrigin(first, "http://evil.example"), "any other page");

      MetaRequestList mkdir =
          MetaRequestList.newBuilder()
              .addRequests(
                  MetaRequest.newBuilder().setMkdir(MkdirRequest.newBuilder().setPath("/evil")))
              .build();
      for (String address : cluster.httpAddresses()) {
        for (String path : new String[] {"/v1/meta", "/v1/heartbeat", "/v1/blockreport"}) {
          HttpResponse<String> refused =
              HTTP.send(
                  HttpRequest.newBuilder(URI.create("http://" + address + path))
                      .header("Content-Type", "text/plain")
                      .POST(HttpRequest.BodyPublishers.ofByteArray(mkdir.toByteArray()))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          assertEquals(415, refused.statusCode(), path);
          assertTrue(refused.body().contains("application/x-protobuf"), refused.body());
        }
      }
      assertThrows(PathNotFoundException.class, () -> client.stat("/evil"));
    }
  }

  private static String allowedOrigin(String address, String origin) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://" + address + "/api/cluster"))
                .header("Origin", origin)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    return response.headers().firstValue("Access-Control-Allow-Origin").orElse("");
  }

  private static JsonObject master(JsonArray masters, String id) {
    return masters.stream()
        .map(JsonObject.class::cast)
        .filter(m -> m.getString("id").equals(id))
        .findFirst()
        .orElseThrow();
  }
}
