package io.raftfs.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.raftfs.client.meta.AuthenticationFailedException;
import io.raftfs.client.meta.MetaClient;
import io.raftfs.client.meta.MetaClientOptions;
import io.raftfs.client.meta.PermissionDeniedException;
import io.raftfs.meta.config.MasterConfigKeys;
import io.raftfs.proto.UserInfo;
import io.raftfs.testing.cluster.MasterGroup;
import io.raftfs.testing.cluster.MiniRaftfsCluster;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Users come back from snapshots and the log: after every master restarted, a user's key still
 * opens with the masters' user key, a rotated secret stays rotated and a removed user stays gone.
 */
class UsersSurviveRestartTest {
  @TempDir Path dir;

  @Test
  void usersTheirSecretsAndRemovalsSurviveARestartOfEveryMaster() {
    Properties overrides = new Properties();
    // Snapshots every few entries, the log purged behind them: the users must be in the image.
    overrides.setProperty(MasterConfigKeys.SNAPSHOT_THRESHOLD_KEY, "3");
    overrides.setProperty("raft.server.log.purge.gap", "1");
    try (MasterGroup cluster =
        MiniRaftfsCluster.builder().masterSettings(overrides).build().start(dir).masters()) {
      AccessKey alice;
      AccessKey bobsOldKey;
      AccessKey bob;
      AccessKey carol;
      try (MetaClient root = cluster.newClient()) {
        cluster.awaitLeader();
        alice = keyOf(root.addUser("alice", List.of("dev")));
        UserInfo bobAdded = root.addUser("bob", List.of());
        bobsOldKey = keyOf(bobAdded);
        bob = keyOf(root.rotateUserKey("bob"));
        carol = keyOf(root.addUser("carol", List.of()));
        root.removeUser("carol");
        // Open to everyone: the mode must survive the restart too.
        root.mkdir("/open", false, 0777);
        for (int i = 0; i < 10; i++) {
          root.mkdir("/filler/d" + i, true);
        }
      }
      cluster.awaitAppliedIndexesEqual();
      for (int i = 0; i < cluster.size(); i++) {
        cluster.stop(i);
      }
      for (int i = 0; i < cluster.size(); i++) {
        cluster.restart(i);
      }
      cluster.awaitLeader();

      try (MetaClient client = client(cluster, alice)) {
        assertEquals(10, client.list("/filler").size());
      }
      try (MetaClient client = client(cluster, bob)) {
        // Below the root (the superuser's, 0755) a user writes only where it was let in.
        assertThrows(PermissionDeniedException.class, () -> client.mkdir("/bob", false));
        client.mkdir("/open/bob", false);
      }
      for (AccessKey refused : List.of(bobsOldKey, carol)) {
        try (MetaClient client = client(cluster, refused)) {
          assertThrows(AuthenticationFailedException.class, () -> client.stat("/"));
        }
      }
      try (MetaClient root = cluster.newClient()) {
        assertEquals(
            List.of("alice", "bob"), root.listUsers().stream().map(UserInfo::getName).toList());
      }
    }
  }

  private static AccessKey keyOf(UserInfo user) {
    return new AccessKey(user.getAccessKeyId(), user.getSecretKey());
  }

  private static MetaClient client(MasterGroup cluster, AccessKey key) {
    return new MetaClient(
        cluster.httpAddresses(), MetaClientOptions.DEFAULTS, key, cluster.clientTls());
  }
}
