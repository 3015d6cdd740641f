package io.raftfs.meta.statemachine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.protobuf.ByteString;
import io.raftfs.meta.operation.Operations;
import io.raftfs.proto.DecommissionRequest;
import io.raftfs.proto.ErrorCode;
import io.raftfs.proto.LoggedWrite;
import io.raftfs.proto.MetaBatch;
import io.raftfs.proto.MetaResponse;
import io.raftfs.proto.MkdirRequest;
import io.raftfs.proto.RegisterDataNodeRequest;
import io.raftfs.proto.RemoveUserRequest;
import io.raftfs.proto.UserInfo;
import io.raftfs.proto.UserRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The users in the replicated state: who may change them, and that snapshots carry them. */
class UserStateTest {
  private static final long NOW = 1_700_000_000_000L;
  private final MetaStore store = new MetaStore(Operations.ALL);

  private MetaResponse apply(LoggedWrite write) {
    return store
        .apply(MetaBatch.newBuilder().setTimestampMillis(NOW).addRequests(write).build())
        .getResponses(0);
  }

  private static UserRecord user(String name, String keyId, String... groups) {
    return UserRecord.newBuilder()
        .setName(name)
        .setAccessKeyId(keyId)
        .setSealedSecret(ByteString.copyFromUtf8("sealed-" + name))
        .addAllGroups(List.of(groups))
        .build();
  }

  private static LoggedWrite addUser(String caller, UserRecord user) {
    return LoggedWrite.newBuilder().setCaller(caller).setAddUser(user).build();
  }

  @Test
  void theRootAddsAUserWhoseKeyFindsIt() {
    String before = store.digest();

    MetaResponse added = apply(addUser("root", user("alice", "RFALICEKEY0000000001", "dev")));

    assertEquals(ErrorCode.OK, added.getError(), added.getMessage());
    UserInfo info = added.getUser();
    assertEquals(List.of("alice", "dev"), info.getGroupsList());
    assertEquals("", info.getSecretKey(), "the log's answer holds no plaintext secret");
    assertEquals(ByteString.copyFromUtf8("sealed-alice"), info.getSealedSecret());
    assertEquals("alice", store.userByKeyId("RFALICEKEY0000000001").getName());
    assertNotEquals(before, store.digest());
  }

  @Test
  void aUserOutsideTheSuperuserGroupChangesNothing() {
    apply(addUser("", user("carol", "RFCAROLKEY0000000001", "dev")));
    apply(
        LoggedWrite.newBuilder()
            .setRegisterDataNode(
                RegisterDataNodeRequest.newBuilder().setNodeId("dn1").setHttpAddress("h:1"))
            .build());
    String before = store.digest();

    MetaResponse add = apply(addUser("carol", user("mallory", "RFMALLORYKEY00000001")));
    MetaResponse remove =
        apply(
            LoggedWrite.newBuilder()
                .setCaller("carol")
                .setRemoveUser(RemoveUserRequest.newBuilder().setName("carol"))
                .build());
    MetaResponse decommission =
        apply(
            LoggedWrite.newBuilder()
                .setCaller("carol")
                .setDecommission(DecommissionRequest.newBuilder().setNodeId("dn1"))
                .build());

    assertEquals(ErrorCode.PERMISSION_DENIED, add.getError());
    assertEquals("add_user: Permission denied", add.getMessage());
    assertEquals(ErrorCode.PERMISSION_DENIED, remove.getError());
    assertEquals(ErrorCode.PERMISSION_DENIED, decommission.getError());
    assertEquals(before, store.digest());
    assertNull(store.user("mallory"));
  }

  @Test
  void aMemberOfTheSuperuserGroupMayAddUsers() {
    apply(addUser("root", user("dana", "RFDANAKEY00000000001", "supergroup")));

    MetaResponse added = apply(addUser("dana", user("erin", "RFERINKEY00000000001")));

    assertEquals(ErrorCode.OK, added.getError(), added.getMessage());
    assertNotNull(store.user("erin"));
  }

  @Test
  void namesAndKeysAreUniqueAndTheRootIsNoTableUser() {
    apply(addUser("", user("alice", "RFALICEKEY0000000001")));

    assertEquals(
        ErrorCode.ALREADY_EXISTS,
        apply(addUser("", user("alice", "RFOTHERKEY0000000001"))).getError());
    assertEquals(
        ErrorCode.INVALID_ARGUMENT,
        apply(addUser("", user("bob", "RFALICEKEY0000000001"))).getError());
    assertEquals(
        ErrorCode.ALREADY_EXISTS,
        apply(addUser("", user("root", "RFROOTKEY00000000001"))).getError());
    assertEquals(
        ErrorCode.ALREADY_EXISTS,
        apply(addUser("", user("supergroup", "RFSUPERKEY0000000001"))).getError());
    assertEquals(
        ErrorCode.INVALID_ARGUMENT,
        apply(addUser("", user("Bad Name", "RFBADKEY000000000001"))).getError());
    assertEquals(
        ErrorCode.INVALID_ARGUMENT,
        apply(
                LoggedWrite.newBuilder()
                    .setRemoveUser(RemoveUserRequest.newBuilder().setName("root"))
                    .build())
            .getError());
    assertEquals(
        ErrorCode.NOT_FOUND,
        apply(
                LoggedWrite.newBuilder()
                    .setRemoveUser(RemoveUserRequest.newBuilder().setName("nobody"))
                    .build())
            .getError());
  }

  @Test
  void aRotationKeepsTheKeyIdAndGroupsAndReplacesTheSecret() {
    apply(addUser("", user("alice", "RFALICEKEY0000000001", "dev")));

    MetaResponse rotated =
        apply(
            LoggedWrite.newBuilder()
                .setRotateUserKey(
                    UserRecord.newBuilder()
                        .setName("alice")
                        .setSealedSecret(ByteString.copyFromUtf8("new")))
                .build());

    assertEquals(ErrorCode.OK, rotated.getError(), rotated.getMessage());
    UserRecord now = store.userByKeyId("RFALICEKEY0000000001");
    assertEquals(ByteString.copyFromUtf8("new"), now.getSealedSecret());
    assertEquals(List.of("dev"), now.getGroupsList());
    assertEquals(ByteString.copyFromUtf8("new"), rotated.getUser().getSealedSecret());
  }

  @Test
  void aSnapshotCarriesTheUsers() throws Exception {
    apply(addUser("", user("alice", "RFALICEKEY0000000001", "dev")));
    apply(addUser("", user("bob", "RFBOBKEY000000000001")));
    ByteArrayOutputStream image = new ByteArrayOutputStream();
    store.writeSnapshot(image);

    MetaStore restored = new MetaStore(Operations.ALL);
    restored.loadSnapshot(new ByteArrayInputStream(image.toByteArray()));

    assertEquals(store.digest(), restored.digest());
    assertEquals(store.userList(), restored.userList());
    assertEquals("bob", restored.userByKeyId("RFBOBKEY000000000001").getName());
  }

  @Test
  void oneClientIdUnderTwoAccessKeysIsTwoClients() {
    LoggedWrite alices =
        LoggedWrite.newBuilder()
            .setClientId("same-client")
            .setCallId(1)
            .setAccessKeyId("RFALICEKEY0000000001")
            .setMkdir(MkdirRequest.newBuilder().setPath("/a"))
            .build();
    LoggedWrite bobs =
        alices.toBuilder()
            .setAccessKeyId("RFBOBKEY000000000001")
            .setMkdir(MkdirRequest.newBuilder().setPath("/b"))
            .build();

    MetaResponse first = apply(alices);
    MetaResponse second = apply(bobs);

    assertEquals("/a", first.getStatus().getPath());
    assertEquals("/b", second.getStatus().getPath(), "applied, not alice's answer");
    assertEquals(first, apply(alices), "alice's retry is still answered from the table");
  }
}
