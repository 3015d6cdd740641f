package io.raftfs.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.client.FileSystemClient;
import io.raftfs.client.PutOptions;
import io.raftfs.client.TransferListener;
import io.raftfs.client.meta.AuthenticationFailedException;
import io.raftfs.client.meta.MetaClient;
import io.raftfs.client.meta.MetaClientOptions;
import io.raftfs.client.meta.PermissionDeniedException;
import io.raftfs.proto.UserInfo;
import io.raftfs.testing.cluster.MasterGroup;
import io.raftfs.testing.cluster.MiniRaftfsCluster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Users on three real masters and data nodes: a key the superuser made works for metadata and
 * blocks, a removed or rotated key is refused by every master once the change is applied, and a
 * user outside the superuser group is refused every admin operation with nothing changed.
 */
class UsersOnClusterTest {
  private static final PutOptions SMALL = new PutOptions(2, 1 << 20, false);

  @TempDir static Path clusterDir;

  private static MiniRaftfsCluster cluster;
  private static FileSystemClient root;

  @BeforeAll
  static void startCluster() {
    cluster = MiniRaftfsCluster.builder().dataNodes(2).build().start(clusterDir);
    root = cluster.newClient();
  }

  @AfterAll
  static void stopCluster() {
    if (root != null) {
      root.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static AccessKey keyOf(UserInfo user) {
    return new AccessKey(user.getAccessKeyId(), user.getSecretKey());
  }

  private static FileSystemClient clientOf(AccessKey key) {
    return new FileSystemClient(
        cluster.masterAddresses(), cluster.clientConfig().toBuilder().credentials(key).build());
  }

  /**
   * Wherever a client starts, {@code key} is refused with 401 (exit 13): the leader refuses it
   * itself, a follower sends the client to the leader rather than serve a key it does not know.
   */
  private static void assertRefusedByEveryMaster(AccessKey key) {
    List<String> masters = cluster.masterAddresses();
    for (int first = 0; first < masters.size(); first++) {
      List<String> startingThere = new ArrayList<>(masters);
      Collections.rotate(startingThere, -first);
      try (MetaClient client =
          new MetaClient(
              startingThere, MetaClientOptions.DEFAULTS, key, cluster.masters().clientTls())) {
        AuthenticationFailedException refused =
            assertThrows(
                AuthenticationFailedException.class,
                () -> client.stat("/"),
                startingThere::toString);
        assertTrue(refused.getMessage().contains(key.id()), refused.getMessage());
      }
    }
  }

  @Test
  void aUsersKeyWorksForMetadataAndBlocksUntilTheUserIsRemoved() throws Exception {
    UserInfo alice = root.addUser("alice", List.of("dev", "ops"));
    assertEquals(List.of("alice", "dev", "ops"), alice.getGroupsList());
    assertFalse(alice.getSecretKey().isEmpty(), "the secret is shown once");
    assertTrue(alice.getSealedSecret().isEmpty(), "the sealed form never leaves the leader");
    AccessKey key = keyOf(alice);

    byte[] data = "written with alice's key".getBytes(StandardCharsets.UTF_8);
    // The root directory is the superuser's (0755): it gives alice a home.
    root.mkdir("/alice", false);
    root.setOwner("/alice", "alice", "alice");
    try (FileSystemClient client = clientOf(key)) {
      client.mkdir("/alice", true);
      client.put(new ByteArrayInputStream(data), "/alice/f", SMALL, TransferListener.NONE);
      ByteArrayOutputStream back = new ByteArrayOutputStream();
      client.get("/alice/f", back, TransferListener.NONE);
      assertArrayEquals(data, back.toByteArray());
    }
    UserInfo listed =
        root.listUsers().stream()
            .filter(u -> u.getName().equals("alice"))
            .findFirst()
            .orElseThrow();
    assertEquals(key.id(), listed.getAccessKeyId());
    assertEquals("", listed.getSecretKey(), "a listing shows no secret");
    assertTrue(listed.getSealedSecret().isEmpty());

    root.removeUser("alice");

    assertRefusedByEveryMaster(key);
    assertTrue(root.listUsers().stream().noneMatch(u -> u.getName().equals("alice")));
  }

  @Test
  void aRotatedSecretIsRefusedByEveryMasterAndTheNewOneWorks() {
    AccessKey old = keyOf(root.addUser("bob", List.of()));

    UserInfo rotated = root.rotateUserKey("bob");

    assertEquals(old.id(), rotated.getAccessKeyId(), "the key id stays");
    assertNotEquals(old.secret(), rotated.getSecretKey());
    assertRefusedByEveryMaster(old);
    try (FileSystemClient client = clientOf(keyOf(rotated))) {
      assertTrue(client.stat("/").getDirectory());
    }
  }

  @Test
  void aUserOutsideTheSuperuserGroupIsDeniedEveryAdminOperationAndNothingChanges() {
    AccessKey carol = keyOf(root.addUser("carol", List.of("dev")));
    String node = root.clusterStatus().getDataNodes(0).getNodeId();
    List<Consumer<FileSystemClient>> adminOperations = new ArrayList<>();
    adminOperations.add(client -> client.addUser("mallory", List.of("supergroup")));
    adminOperations.add(FileSystemClient::listUsers);
    adminOperations.add(client -> client.removeUser("carol"));
    adminOperations.add(client -> client.rotateUserKey("carol"));
    adminOperations.add(client -> client.decommission(node));
    adminOperations.add(client -> client.recommission(node));
    List<String> before = digests();

    try (FileSystemClient client = clientOf(carol)) {
      for (Consumer<FileSystemClient> operation : adminOperations) {
        PermissionDeniedException denied =
            assertThrows(PermissionDeniedException.class, () -> operation.accept(client));
        assertTrue(denied.getMessage().endsWith(": Permission denied"), denied.getMessage());
      }
      // Still signed in: a denial is not an authentication failure.
      assertTrue(client.stat("/").getDirectory());
    }

    assertEquals(before, digests(), "no master's state changed");
    assertTrue(root.listUsers().stream().noneMatch(u -> u.getName().equals("mallory")));
  }

  @Test
  void aMemberOfTheSuperuserGroupMayAdministerUsers() {
    AccessKey admin = keyOf(root.addUser("dana", List.of("supergroup")));
    try (FileSystemClient client = clientOf(admin)) {
      UserInfo erin = client.addUser("erin", List.of());
      assertEquals("erin", erin.getName());
      client.removeUser("erin");
    }
    assertTrue(root.listUsers().stream().noneMatch(u -> u.getName().equals("erin")));
  }

  /** Each master's state digest once all applied the same index. */
  private static List<String> digests() {
    MasterGroup masters = cluster.masters();
    masters.awaitAppliedIndexesEqual();
    List<String> digests = new ArrayList<>();
    for (int i = 0; i < masters.size(); i++) {
      digests.add(masters.master(i).store().digest());
    }
    return digests;
  }
}
