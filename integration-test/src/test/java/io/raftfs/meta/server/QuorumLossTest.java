package io.raftfs.meta.server;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.raftfs.client.meta.MastersUnavailableException;
import io.raftfs.client.meta.MetaClient;
import io.raftfs.client.meta.MetaClientOptions;
import io.raftfs.testing.cluster.MasterGroup;
import io.raftfs.testing.cluster.MiniRaftfsCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuorumLossTest {
  @TempDir Path dir;

  @Test
  void aLeaderThatLostItsMajorityAnswersNeitherReadsNorWrites() {
    try (MasterGroup cluster = MiniRaftfsCluster.builder().build().start(dir).masters()) {
      int leader = cluster.awaitLeader();
      try (MetaClient client = cluster.newClient()) {
        client.mkdir("/x", false);
      }
      for (int i = 0; i < cluster.size(); i++) {
        if (i != leader) {
          cluster.stop(i);
        }
      }
      MetaClientOptions impatient =
          MetaClientOptions.DEFAULTS.withCallDeadline(Duration.ofSeconds(4));
      try (MetaClient client =
          new MetaClient(
              List.of(cluster.master(leader).httpAddress()),
              impatient,
              cluster.rootKey(),
              cluster.clientTls())) {
        assertThrows(MastersUnavailableException.class, () -> client.mkdir("/y", false));
        // Served from its own state this read would succeed. Within its leader lease (right
        // after the others stopped) the leader may still serve it linearizably; the failed
        // write above outlasted the lease, so now it must not.
        assertThrows(MastersUnavailableException.class, () -> client.stat("/x"));
      }
    }
  }
}
