package io.raftfs.meta.statemachine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.raftfs.meta.namespace.Accessor;
import io.raftfs.meta.namespace.Namespace;
import io.raftfs.meta.namespace.NamespaceException;
import io.raftfs.meta.operation.Operations;
import io.raftfs.proto.DeleteRequest;
import io.raftfs.proto.ErrorCode;
import io.raftfs.proto.FileStatus;
import io.raftfs.proto.LoggedWrite;
import io.raftfs.proto.MetaBatch;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaResponse;
import io.raftfs.proto.MkdirRequest;
import io.raftfs.proto.SetOwnerRequest;
import io.raftfs.proto.SetPermissionRequest;
import io.raftfs.proto.StatRequest;
import io.raftfs.proto.UserRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Permissions as every replica applies them: the logged caller, its groups from the replicated user
 * table, the state before the write; and the root's owner and mode through a snapshot.
 */
class PermissionStateTest {
  private static final long NOW = 1_700_000_000_000L;
  private final MetaStore store = new MetaStore(Operations.ALL);

  private MetaResponse apply(String caller, LoggedWrite.Builder write) {
    return store
        .apply(
            MetaBatch.newBuilder()
                .setTimestampMillis(NOW)
                .addRequests(write.setCaller(caller))
                .build())
        .getResponses(0);
  }

  private void addUser(String name, String... groups) {
    MetaResponse added =
        apply(
            "",
            LoggedWrite.newBuilder()
                .setAddUser(
                    UserRecord.newBuilder()
                        .setName(name)
                        .setAccessKeyId("RF" + name.toUpperCase() + "KEY".repeat(6))
                        .addAllGroups(List.of(groups))));
    assertEquals(ErrorCode.OK, added.getError(), added.getMessage());
  }

  private static LoggedWrite.Builder mkdir(String path, int mode) {
    return LoggedWrite.newBuilder()
        .setMkdir(MkdirRequest.newBuilder().setPath(path).setParents(true).setMode(mode));
  }

  private static LoggedWrite.Builder chmod(String path, int mode) {
    return LoggedWrite.newBuilder()
        .setSetPermission(SetPermissionRequest.newBuilder().setPath(path).setPermission(mode));
  }

  private static LoggedWrite.Builder chown(String path, String owner, String group) {
    return LoggedWrite.newBuilder()
        .setSetOwner(SetOwnerRequest.newBuilder().setPath(path).setOwner(owner).setGroup(group));
  }

  private FileStatus stat(String path) {
    return store
        .read(
            MetaRequest.newBuilder().setStat(StatRequest.newBuilder().setPath(path)).build(),
            "",
            PermissionStateTest::stat)
        .getStatus();
  }

  private static MetaResponse stat(MetaRequest request, Namespace namespace, Accessor caller)
      throws NamespaceException {
    return MetaResponse.newBuilder().setStatus(namespace.stat(request.getStat().getPath())).build();
  }

  @Test
  void everyReplicaRefusesWhatTheLoggedCallerMayNotDoAndChangesNothing() {
    addUser("alice", "staff");
    addUser("bob", "staff");
    addUser("carol");
    assertEquals(ErrorCode.OK, apply("", mkdir("/home/alice", 0755)).getError());
    assertEquals(ErrorCode.OK, apply("", chown("/home/alice", "alice", "staff")).getError());
    String before = store.digest();

    for (String caller : List.of("bob", "carol")) {
      for (LoggedWrite.Builder write :
          List.of(
              mkdir("/home/alice/x", 0755),
              chmod("/home/alice", 0777),
              chown("/home/alice", "", caller),
              LoggedWrite.newBuilder()
                  .setDelete(DeleteRequest.newBuilder().setPath("/home/alice").setRecursive(true)),
              mkdir("/mine", 0755))) {
        MetaResponse refused = apply(caller, write);
        assertEquals(ErrorCode.PERMISSION_DENIED, refused.getError(), caller + " " + write);
        assertEquals(true, refused.getMessage().endsWith(": Permission denied"));
      }
    }
    assertEquals(before, store.digest());

    // The owner makes entries owned by her in the directory's group, with the mode she sent.
    assertEquals(ErrorCode.OK, apply("alice", mkdir("/home/alice/x", 0750)).getError());
    FileStatus made = stat("/home/alice/x");
    assertEquals(
        List.of("alice", "staff", 0750),
        List.of(made.getOwner(), made.getGroup(), made.getPermission()));
    // Bob's group gets in once alice opens the directory to it.
    assertEquals(ErrorCode.OK, apply("alice", chmod("/home/alice", 0775)).getError());
    assertEquals(ErrorCode.OK, apply("bob", mkdir("/home/alice/bobs", 0700)).getError());
    assertEquals("bob", stat("/home/alice/bobs").getOwner());
    // Groups come from the replicated table as it is when the write applies.
    assertEquals(
        ErrorCode.PERMISSION_DENIED, apply("erin", mkdir("/home/alice/e", 0700)).getError());
    addUser("erin", "staff");
    assertEquals(ErrorCode.OK, apply("erin", mkdir("/home/alice/e", 0700)).getError());
  }

  @Test
  void aSnapshotCarriesTheRootsOwnerGroupAndMode() throws Exception {
    assertEquals(ErrorCode.OK, apply("", chmod("/", 01777)).getError());
    assertEquals(ErrorCode.OK, apply("", chown("/", "admin", "wheel")).getError());
    ByteArrayOutputStream image = new ByteArrayOutputStream();
    store.writeSnapshot(image);

    MetaStore restored = new MetaStore(Operations.ALL);
    restored.loadSnapshot(new ByteArrayInputStream(image.toByteArray()));

    assertEquals(store.digest(), restored.digest());
    FileStatus root = stat("/");
    assertEquals(
        List.of("admin", "wheel", 01777),
        List.of(root.getOwner(), root.getGroup(), root.getPermission()));
  }
}
