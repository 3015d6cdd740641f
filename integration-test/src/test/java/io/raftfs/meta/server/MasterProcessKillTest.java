package io.raftfs.meta.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.raftfs.client.meta.MetaClient;
import io.raftfs.proto.FileStatus;
import io.raftfs.testing.cluster.MasterGroup;
import io.raftfs.testing.cluster.MiniRaftfsCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real master JVMs, SIGKILLed: every acknowledged write survives, and the killed one catches up.
 */
class MasterProcessKillTest {
  @TempDir Path dir;

  @Test
  void kill9OfTheLeaderLosesNoAcknowledgedWrite() {
    try (MasterGroup masters =
            MiniRaftfsCluster.builder().separateJvms().build().start(dir).masters();
        MetaClient client = masters.newClient()) {
      List<String> acknowledged = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        client.mkdir("/acked/d" + i, true);
        acknowledged.add("/acked/d" + i);
      }
      int leader = masters.awaitLeader();

      masters.kill(leader);
      for (int i = 20; i < 40; i++) {
        client.mkdir("/acked/d" + i, true);
        acknowledged.add("/acked/d" + i);
      }
      assertNotEquals(leader, masters.awaitLeader());

      masters.restart(leader);
      masters.kill(masters.awaitLeader());
      List<String> listed =
          client.list("/acked").stream().map(FileStatus::getPath).sorted().toList();
      assertEquals(acknowledged.stream().sorted().toList(), listed);
    }
  }
}
