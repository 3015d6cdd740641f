package io.raftfs.meta.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.raftfs.client.meta.InvalidPathException;
import io.raftfs.client.meta.MetaClient;
import io.raftfs.client.meta.PathNotFoundException;
import io.raftfs.meta.config.MasterConfigKeys;
import io.raftfs.meta.statemachine.MetaStore;
import io.raftfs.proto.FileStatus;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaResponse;
import io.raftfs.proto.StatRequest;
import io.raftfs.testing.cluster.MasterGroup;
import io.raftfs.testing.cluster.MiniRaftfsCluster;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetaClusterFailoverTest {
  @TempDir Path dir;

  @Test
  void clientKeepsWorkingAcrossLeaderLossAndOldLeaderCatchesUpFromSnapshot() {
    Properties overrides = new Properties();
    // Small threshold: the stopped leader misses more than a snapshot's worth of log and must
    // be brought back by snapshot installation, not only by log replay.
    overrides.setProperty(MasterConfigKeys.SNAPSHOT_THRESHOLD_KEY, "20");
    // Purge the log right after each snapshot, so the leader no longer has the entries the
    // stopped master misses and must send it a snapshot (twice, to catch a state machine
    // that cannot be paused a second time).
    overrides.setProperty("raft.server.log.purge.gap", "1");
    try (MasterGroup cluster =
            MiniRaftfsCluster.builder().masterSettings(overrides).build().start(dir).masters();
        MetaClient client = cluster.newClient()) {
      int oldLeader = cluster.awaitLeader();
      for (int i = 0; i < 10; i++) {
        client.mkdir("/before/d" + i, true);
      }

      cluster.stop(oldLeader);
      for (int i = 0; i < 60; i++) {
        client.mkdir("/after/d" + i, true);
      }

      assertEquals(10, client.list("/before").size());
      assertEquals(60, client.list("/after").size());
      int newLeader = cluster.awaitLeader();
      assertEquals(false, newLeader == oldLeader);

      cluster.restart(oldLeader);
      cluster.awaitAppliedIndexesEqual();
      cluster.stop(oldLeader);
      for (int i = 60; i < 120; i++) {
        client.mkdir("/after/d" + i, true);
      }
      cluster.restart(oldLeader);
      cluster.awaitAppliedIndexesEqual();
      FileStatus restored = stat(cluster.master(oldLeader).store(), "/after/d119");
      assertEquals("/after/d119", restored.getPath());
      String digest = cluster.master(0).store().digest();
      for (int i = 1; i < cluster.size(); i++) {
        assertEquals(
            digest, cluster.master(i).store().digest(), "master " + i + " holds the same state");
      }
    }
  }

  @Test
  void namespaceSurvivesRestartOfAllMasters() {
    try (MasterGroup cluster = MiniRaftfsCluster.builder().build().start(dir).masters()) {
      try (MetaClient client = cluster.newClient()) {
        cluster.awaitLeader();
        client.mkdir("/kept/a", true);
        client.rename("/kept/a", "/kept/b");
      }
      for (int i = 0; i < cluster.size(); i++) {
        cluster.stop(i);
      }
      for (int i = 0; i < cluster.size(); i++) {
        cluster.restart(i);
      }
      try (MetaClient client = cluster.newClient()) {
        List<FileStatus> entries = client.list("/kept");
        assertEquals(List.of("/kept/b"), entries.stream().map(FileStatus::getPath).toList());
        assertThrows(PathNotFoundException.class, () -> client.stat("/kept/a"));
      }
    }
  }

  /**
   * The outage of issue 18: {@code mkdir -p} of a deep path, {@code mv} of its top to a long name,
   * then a snapshot that no master could load after a restart.
   */
  @Test
  void aRenameThatWouldOverflowPathsIsRefusedAndEveryMasterRestartsFromItsSnapshot() {
    Properties overrides = new Properties();
    overrides.setProperty(MasterConfigKeys.SNAPSHOT_THRESHOLD_KEY, "5");
    overrides.setProperty("raft.server.log.purge.gap", "1");
    String deep = "/top" + ("/" + "d".repeat(200)).repeat(20); // 4,024 bytes
    String longName = "/" + "n".repeat(255);
    try (MasterGroup cluster =
        MiniRaftfsCluster.builder().masterSettings(overrides).build().start(dir).masters()) {
      try (MetaClient client = cluster.newClient()) {
        cluster.awaitLeader();
        client.mkdir(deep, true);
        assertThrows(InvalidPathException.class, () -> client.rename("/top", longName));
        for (int i = 0; i < 20; i++) {
          client.mkdir("/more/d" + i, true); // past the threshold: snapshots and purges
        }
      }
      cluster.awaitAppliedIndexesEqual();
      for (int i = 0; i < cluster.size(); i++) {
        cluster.stop(i);
      }
      for (int i = 0; i < cluster.size(); i++) {
        cluster.restart(i);
      }
      try (MetaClient client = cluster.newClient()) {
        assertEquals(deep, client.stat(deep).getPath());
        assertEquals(20, client.list("/more").size());
      }
    }
  }

  /** The status of {@code path} in one master's own state, with no read barrier. */
  private static FileStatus stat(MetaStore store, String path) {
    MetaRequest request =
        MetaRequest.newBuilder().setStat(StatRequest.newBuilder().setPath(path)).build();
    return store
        .read(
            request,
            "",
            (call, namespace, caller) ->
                MetaResponse.newBuilder()
                    .setStatus(namespace.stat(call.getStat().getPath()))
                    .build())
        .getStatus();
  }
}
