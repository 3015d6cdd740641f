package io.raftfs.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.auth.AccessKey;
import io.raftfs.client.config.ClientConfig;
import io.raftfs.client.meta.InvalidArgumentException;
import io.raftfs.client.meta.MetaClient;
import io.raftfs.client.meta.PermissionDeniedException;
import io.raftfs.proto.ClusterStatus;
import io.raftfs.proto.GatewayStatus;
import io.raftfs.proto.MasterStatus;
import io.raftfs.proto.ReportGatewayRequest;
import io.raftfs.proto.UserInfo;
import io.raftfs.testing.cluster.MiniRaftfsCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster page lists the running S3 gateways: a gateway reports itself to the leader with its
 * own (superuser) key every interval, the leader's cluster status lists it with its address, TLS,
 * version, user and when it was last seen, and forgets it once the reports stop. Nobody but a
 * superuser may report, a malformed address is refused, and the leader lists at most its maximum.
 */
class GatewayReportTest {
  private static final Duration EXPIRY = Duration.ofSeconds(3);

  @TempDir static Path clusterDir;

  private static MiniRaftfsCluster cluster;
  private static MetaClient root;

  @BeforeAll
  static void start() {
    cluster =
        MiniRaftfsCluster.builder()
            .dataNodes(1)
            .masterSetting("raftfs.master.s3.gateway.expiry.ms", "3s")
            .masterSetting("raftfs.master.s3.gateways.max", "3")
            .build()
            .start(clusterDir);
    root = cluster.newMetaClient();
  }

  @AfterAll
  static void stop() {
    if (root != null) {
      root.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aRunningGatewayIsListedAndForgottenOnceItStops() throws Exception {
    String address;
    try (GatewayFixture gateway =
        new GatewayFixture(cluster, 1, Map.of("raftfs.s3.report.interval.ms", "200"))) {
      address = "127.0.0.1:" + gateway.port();
      GatewayStatus listed = awaitGateway(address, Optional::isPresent).orElseThrow();
      assertTrue(listed.getTls(), "the fixture's gateway speaks TLS");
      assertEquals("root", listed.getUser());
      assertFalse(listed.getVersion().isEmpty());
      assertTrue(listed.getStartTimeMillis() > 0);
      long firstSeen = listed.getLastSeenMillis();
      // Reports keep coming: last seen moves on.
      awaitGateway(address, seen -> seen.isPresent() && seen.get().getLastSeenMillis() > firstSeen);
    }
    awaitGateway(address, Optional::isEmpty);
  }

  @Test
  void onlyASuperuserReportsAndTheListIsBounded() throws Exception {
    UserInfo eve = root.addUser("eve", List.of());
    AccessKey evesKey = new AccessKey(eve.getAccessKeyId(), eve.getSecretKey());
    try (MetaClient asEve =
        new MetaClient(
            cluster.masterAddresses(),
            ClientConfig.builder().credentials(evesKey).build().metaOptions(),
            evesKey,
            cluster.masters().clientTls())) {
      assertThrows(PermissionDeniedException.class, () -> asEve.reportGateway(report("evil:1")));
    }
    assertTrue(
        leaderStatus().getGatewaysList().stream().noneMatch(g -> g.getAddress().equals("evil:1")));
    assertThrows(InvalidArgumentException.class, () -> root.reportGateway(report("no port")));
    assertThrows(
        InvalidArgumentException.class,
        () -> root.reportGateway(report("h:1").toBuilder().setVersion("v".repeat(65)).build()));
    // The other test's gateway may hold a place: report new ones until the leader refuses.
    String refused = null;
    for (int i = 0; i < 4 && refused == null; i++) {
      String address = "g" + i + ".example:1";
      try {
        root.reportGateway(report(address));
      } catch (InvalidArgumentException e) {
        refused = address;
      }
    }
    assertTrue(refused != null, "a fourth gateway is refused");
    List<GatewayStatus> listed = leaderStatus().getGatewaysList();
    assertEquals(3, listed.size(), listed.toString());
    String notListed = refused;
    assertTrue(listed.stream().noneMatch(g -> g.getAddress().equals(notListed)));
  }

  private static ReportGatewayRequest report(String address) {
    return ReportGatewayRequest.newBuilder()
        .setAddress(address)
        .setVersion("test")
        .setStartTimeMillis(System.currentTimeMillis())
        .build();
  }

  /** The leader's answer (a follower lists no gateways), from a client of the leader only. */
  private static ClusterStatus leaderStatus() throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(30);
    while (true) {
      ClusterStatus status = root.clusterStatus();
      Optional<String> leader =
          status.getMastersList().stream()
              .filter(m -> m.getId().equals(status.getLeaderId()))
              .map(MasterStatus::getHttpAddress)
              .findFirst();
      if (leader.isPresent()) {
        AccessKey rootKey = cluster.clientConfig().credentials().orElseThrow();
        try (MetaClient ofLeader =
            new MetaClient(
                List.of(leader.get()),
                cluster.clientConfig().metaOptions(),
                rootKey,
                cluster.masters().clientTls())) {
          ClusterStatus answer = ofLeader.clusterStatus();
          if (answer.getAnsweredBy().equals(answer.getLeaderId())) {
            return answer;
          }
        }
      }
      assertTrue(Instant.now().isBefore(deadline), "no answer from the leader");
      Thread.sleep(100);
    }
  }

  /** Waits (at most the expiry and 30 s) until the leader's entry for the address passes. */
  private static Optional<GatewayStatus> awaitGateway(
      String address, Predicate<Optional<GatewayStatus>> condition) throws InterruptedException {
    Instant deadline = Instant.now().plus(EXPIRY).plusSeconds(30);
    while (true) {
      Optional<GatewayStatus> entry =
          leaderStatus().getGatewaysList().stream()
              .filter(g -> g.getAddress().equals(address))
              .findFirst();
      if (condition.test(entry)) {
        return entry;
      }
      assertTrue(
          Instant.now().isBefore(deadline), "no change in time for " + address + ": " + entry);
      Thread.sleep(100);
    }
  }
}
