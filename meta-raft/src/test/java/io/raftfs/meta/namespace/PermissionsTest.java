package io.raftfs.meta.namespace;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.raftfs.proto.BlockInfo;
import io.raftfs.proto.CommitFileRequest;
import io.raftfs.proto.DirectoryEntryImage;
import io.raftfs.proto.ErrorCode;
import io.raftfs.proto.FileStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every rule of {@link Permissions}, for owner, group and other: alice and bob share the group
 * staff, carol is in neither alice's nor bob's groups.
 */
class PermissionsTest {
  private static final long NOW = 1_700_000_000_000L;
  private static final Accessor ALICE = new Accessor("alice", Set.of("alice", "staff"), false);
  private static final Accessor BOB = new Accessor("bob", Set.of("bob", "staff"), false);
  private static final Accessor CAROL = new Accessor("carol", Set.of("carol"), false);
  private static final Accessor ADMIN = new Accessor("admin", Set.of("admin", "supergroup"), true);

  private final Namespace ns = new Namespace();
  private long lastBlockId;

  /** /d owned by alice:staff with {@code mode}, holding the file /d/f (alice:staff, 0640). */
  private void aliceDirectory(int mode) throws NamespaceException {
    ns.mkdir("/d", false, NOW);
    ns.setOwner("/d", "alice", "staff");
    ns.commit(file("/d/f"), "alice", NOW);
    ns.setPermission("/d/f", 0640);
    ns.setPermission("/d", mode);
  }

  private CommitFileRequest file(String path) {
    return CommitFileRequest.newBuilder()
        .setPath(path)
        .setReplication(1)
        .setBlockSize(100)
        .addBlocks(BlockInfo.newBuilder().setBlockId(++lastBlockId).setLength(10))
        .build();
  }

  private Permissions as(Accessor caller) {
    return ns.permissions(caller);
  }

  private static void denied(String path, Executable check) {
    NamespaceException e = assertThrows(NamespaceException.class, check);
    assertEquals(ErrorCode.PERMISSION_DENIED, e.code());
    assertEquals(path + ": Permission denied", e.getMessage());
  }

  @Test
  void reachingAnEntryNeedsExecuteOnEveryAncestor() throws Exception {
    aliceDirectory(0750);
    assertDoesNotThrow(() -> as(ALICE).checkStat("/d/f"));
    assertDoesNotThrow(() -> as(BOB).checkStat("/d/f"));
    denied("/d/f", () -> as(CAROL).checkStat("/d/f"));
    ns.setPermission("/d", 0640);
    denied("/d/f", () -> as(ALICE).checkStat("/d/f"));
    denied("/d/f", () -> as(BOB).checkStat("/d/f"));
    // The directory itself needs no bit to be stat'ed, only its ancestors.
    assertDoesNotThrow(() -> as(CAROL).checkStat("/d"));
    ns.setPermission("/", 0700);
    denied("/d", () -> as(CAROL).checkStat("/d"));
  }

  @Test
  void listingADirectoryNeedsReadAndExecuteOnIt() throws Exception {
    aliceDirectory(0751);
    assertDoesNotThrow(() -> as(ALICE).checkList("/d"));
    assertDoesNotThrow(() -> as(BOB).checkList("/d"));
    denied("/d", () -> as(CAROL).checkList("/d"));
    // A file lists as itself: reaching it is enough.
    assertDoesNotThrow(() -> as(CAROL).checkList("/d/f"));
    ns.setPermission("/d", 0344);
    denied("/d", () -> as(ALICE).checkList("/d"));
    denied("/d", () -> as(BOB).checkList("/d"));
  }

  @Test
  void readingAFileNeedsReadOnIt() throws Exception {
    aliceDirectory(0755);
    assertDoesNotThrow(() -> as(ALICE).checkRead("/d/f"));
    assertDoesNotThrow(() -> as(BOB).checkRead("/d/f"));
    denied("/d/f", () -> as(CAROL).checkRead("/d/f"));
    ns.setPermission("/d/f", 0004);
    // The owner's bits apply to the owner even where others have more.
    denied("/d/f", () -> as(ALICE).checkRead("/d/f"));
    denied("/d/f", () -> as(BOB).checkRead("/d/f"));
    assertDoesNotThrow(() -> as(CAROL).checkRead("/d/f"));
  }

  @Test
  void mkdirNeedsWriteAndExecuteOnTheDeepestExistingAncestor() throws Exception {
    aliceDirectory(0755);
    assertDoesNotThrow(() -> as(ALICE).checkMkdir("/d/x/y"));
    denied("/d/x", () -> as(BOB).checkMkdir("/d/x"));
    denied("/d/x/y", () -> as(CAROL).checkMkdir("/d/x/y"));
    ns.setPermission("/d", 0775);
    assertDoesNotThrow(() -> as(BOB).checkMkdir("/d/x/y"));
    denied("/d/x", () -> as(CAROL).checkMkdir("/d/x"));
    ns.setPermission("/d", 0757);
    assertDoesNotThrow(() -> as(CAROL).checkMkdir("/d/x"));
    // mkdir -p of what exists makes nothing, so needs no write.
    ns.setPermission("/d", 0555);
    assertDoesNotThrow(() -> as(BOB).checkMkdir("/d"));
  }

  @Test
  void creatingNeedsWriteOnTheParentAndOverwritingWriteOnTheFileToo() throws Exception {
    aliceDirectory(0775);
    assertDoesNotThrow(() -> as(BOB).checkCreate("/d/new"));
    denied("/d/new", () -> as(CAROL).checkCreate("/d/new"));
    // /d/f is 0640: bob (group) may not write it, alice may.
    denied("/d/f", () -> as(BOB).checkCreate("/d/f"));
    assertDoesNotThrow(() -> as(ALICE).checkCreate("/d/f"));
    ns.setPermission("/d/f", 0660);
    assertDoesNotThrow(() -> as(BOB).checkCreate("/d/f"));
    ns.setPermission("/d", 0555);
    denied("/d/f", () -> as(ALICE).checkCreate("/d/f"));
  }

  @Test
  void deletingNeedsWriteAndExecuteOnTheParent() throws Exception {
    aliceDirectory(0755);
    assertDoesNotThrow(() -> as(ALICE).checkDelete("/d/f", false));
    denied("/d/f", () -> as(BOB).checkDelete("/d/f", false));
    ns.setPermission("/d", 0775);
    // Deleting needs nothing on the file itself.
    ns.setPermission("/d/f", 0000);
    assertDoesNotThrow(() -> as(BOB).checkDelete("/d/f", false));
    denied("/d/f", () -> as(CAROL).checkDelete("/d/f", false));
    ns.setPermission("/d", 0577);
    denied("/d/f", () -> as(ALICE).checkDelete("/d/f", false));
  }

  @Test
  void aRecursiveDeleteNeedsWriteAndExecuteOnEveryNonEmptyDirectoryBelow() throws Exception {
    ns.setPermission("/", 0777);
    ns.mkdir("/top/full", true, "bob", 0777, NOW);
    ns.mkdir("/top/empty", true, "bob", 0777, NOW);
    ns.commit(file("/top/full/f"), "bob", NOW);
    assertDoesNotThrow(() -> as(CAROL).checkDelete("/top", true));
    // An empty directory carol may not write does not stop her.
    ns.setPermission("/top/empty", 0555);
    assertDoesNotThrow(() -> as(CAROL).checkDelete("/top", true));
    ns.setPermission("/top/full", 0775);
    denied("/top", () -> as(CAROL).checkDelete("/top", true));
    assertDoesNotThrow(() -> as(BOB).checkDelete("/top", true));
    ns.setPermission("/top/full", 0577);
    denied("/top", () -> as(BOB).checkDelete("/top", true));
    ns.setPermission("/top/full", 0677);
    denied("/top", () -> as(BOB).checkDelete("/top", true));
    assertDoesNotThrow(() -> as(ADMIN).checkDelete("/top", true));
  }

  @Test
  void theStickyBitLetsOnlyTheEntrysOrTheDirectorysOwnerRemoveIt() throws Exception {
    ns.mkdir("/tmp", false, NOW);
    ns.setPermission("/tmp", 01777);
    ns.commit(file("/tmp/a"), "alice", NOW);
    denied("/tmp/a", () -> as(BOB).checkDelete("/tmp/a", false));
    denied("/tmp/a", () -> as(BOB).checkRename("/tmp/a", "/tmp/b"));
    assertDoesNotThrow(() -> as(ALICE).checkDelete("/tmp/a", false));
    assertDoesNotThrow(() -> as(ALICE).checkRename("/tmp/a", "/tmp/b"));
    ns.setOwner("/tmp", "bob", "");
    assertDoesNotThrow(() -> as(BOB).checkDelete("/tmp/a", false));
    denied("/tmp/a", () -> as(CAROL).checkDelete("/tmp/a", false));
    ns.setPermission("/tmp", 0777);
    assertDoesNotThrow(() -> as(CAROL).checkDelete("/tmp/a", false));
  }

  @Test
  void renamingNeedsWriteAndExecuteOnBothParents() throws Exception {
    aliceDirectory(0775);
    ns.mkdir("/in", false, "carol", 0755, NOW);
    ns.mkdir("/open", false, "carol", 0777, NOW);
    assertDoesNotThrow(() -> as(BOB).checkRename("/d/f", "/open/g"));
    denied("/in/g", () -> as(BOB).checkRename("/d/f", "/in/g"));
    // Into an existing directory: that directory is the new parent.
    denied("/in", () -> as(BOB).checkRename("/d/f", "/in"));
    assertDoesNotThrow(() -> as(BOB).checkRename("/d/f", "/open"));
    denied("/d/f", () -> as(CAROL).checkRename("/d/f", "/open/g"));
  }

  @Test
  void onlyTheOwnerOrASuperuserChangesTheMode() throws Exception {
    aliceDirectory(0777);
    assertDoesNotThrow(() -> as(ALICE).checkSetPermission("/d/f"));
    denied("/d/f", () -> as(BOB).checkSetPermission("/d/f"));
    denied("/d/f", () -> as(CAROL).checkSetPermission("/d/f"));
    assertDoesNotThrow(() -> as(ADMIN).checkSetPermission("/d/f"));
  }

  @Test
  void onlyASuperuserGivesAwayAnEntryAndTheOwnerPicksOneOfItsGroups() throws Exception {
    aliceDirectory(0777);
    denied("/d/f", () -> as(ALICE).checkSetOwner("/d/f", "bob", ""));
    assertDoesNotThrow(() -> as(ALICE).checkSetOwner("/d/f", "alice", ""));
    assertDoesNotThrow(() -> as(ALICE).checkSetOwner("/d/f", "", "alice"));
    denied("/d/f", () -> as(ALICE).checkSetOwner("/d/f", "", "carol"));
    denied("/d/f", () -> as(BOB).checkSetOwner("/d/f", "", "staff"));
    assertDoesNotThrow(() -> as(ADMIN).checkSetOwner("/d/f", "carol", "nobody"));
  }

  @Test
  void fsckOfATreeNeedsReadAndExecuteOnItsDirectories() throws Exception {
    aliceDirectory(0750);
    assertDoesNotThrow(() -> as(BOB).checkFsck("/d"));
    denied("/d", () -> as(CAROL).checkFsck("/d"));
    denied("/", () -> as(CAROL).checkFsck("/"));
    assertDoesNotThrow(() -> as(ADMIN).checkFsck("/"));
  }

  @Test
  void aSuperuserPassesEveryCheck() throws Exception {
    aliceDirectory(0000);
    ns.setPermission("/d/f", 0000);
    ns.setPermission("/", 01000);
    Permissions admin = as(ADMIN);
    assertDoesNotThrow(() -> admin.checkRead("/d/f"));
    assertDoesNotThrow(() -> admin.checkList("/d"));
    assertDoesNotThrow(() -> admin.checkMkdir("/d/x"));
    assertDoesNotThrow(() -> admin.checkCreate("/d/f"));
    assertDoesNotThrow(() -> admin.checkDelete("/d", true));
    assertDoesNotThrow(() -> admin.checkRename("/d/f", "/g"));
    assertDoesNotThrow(() -> admin.checkSetPermission("/d/f"));
    assertDoesNotThrow(() -> admin.checkSetOwner("/d/f", "bob", "bob"));
  }

  @Test
  void aMissingPathIsLeftToTheOperationsOwnError() throws Exception {
    aliceDirectory(0755);
    assertDoesNotThrow(() -> as(CAROL).checkSetPermission("/d/none"));
    assertDoesNotThrow(() -> as(CAROL).checkDelete("/d/none/x", true));
    assertDoesNotThrow(() -> as(CAROL).checkCreate("/d/none/x"));
  }

  @Test
  void newEntriesBelongToTheirCreatorInTheirParentsGroup() throws Exception {
    aliceDirectory(0777);
    FileStatus dir = ns.mkdir("/d/x/y", true, "bob", 0700, NOW);
    assertEquals(List.of("bob", "staff", 0700), ownership(dir));
    // A missing ancestor made on the way keeps u+wx, so its maker can go on below it.
    assertEquals(List.of("bob", "staff", 0700), ownership(ns.stat("/d/x")));
    ns.mkdir("/d/z", true, "bob", 0444, NOW);
    FileStatus created =
        ns.commit(file("/d/g").toBuilder().setMode(0600).build(), "bob", NOW).status();
    assertEquals(List.of("bob", "staff", 0600), ownership(created));
    FileStatus plain = ns.commit(file("/d/h"), "carol", NOW).status();
    assertEquals(List.of("carol", "staff", 0644), ownership(plain));
    // Overwriting keeps the file's owner, group and mode.
    FileStatus overwritten =
        ns.commit(file("/d/g").toBuilder().setOverwrite(true).setMode(0666).build(), "alice", NOW)
            .status();
    assertEquals(List.of("bob", "staff", 0600), ownership(overwritten));
    assertEquals(List.of("root", "supergroup", 0755), ownership(ns.stat("/")));
  }

  @Test
  void entriesShareOneOwnersInstance() throws Exception {
    ns.commit(file("/a"), "bob", NOW);
    ns.commit(file("/b"), "bob", NOW);
    ns.setOwner("/b", "carol", "");
    ns.setOwner("/b", "bob", "");
    INode a = ns.found(new String[] {"a"});
    INode b = ns.found(new String[] {"b"});
    assertSame(a.owners, b.owners);
  }

  @Test
  void snapshotEntriesKeepOwnersAndModesAndOldOnesLoadAsRoot() throws Exception {
    aliceDirectory(01750);
    ns.mkdir("/d/sub", false, "bob", 0700, NOW);
    List<DirectoryEntryImage> entries = new ArrayList<>();
    ns.forEachEntry(entries::add);
    Namespace restored = new Namespace();
    for (DirectoryEntryImage entry : entries) {
      restored.restore(entry);
    }
    for (String path : List.of("/d", "/d/f", "/d/sub")) {
      assertEquals(ns.stat(path), restored.stat(path));
    }

    Namespace old = new Namespace();
    for (DirectoryEntryImage entry : entries) {
      old.restore(entry.toBuilder().clearOwner().clearGroup().clearPermission().build());
    }
    assertEquals(List.of("root", "supergroup", 0755), ownership(old.stat("/d")));
    assertEquals(List.of("root", "supergroup", 0644), ownership(old.stat("/d/f")));
    old.restoreRootPermissions("", "", null);
    assertEquals(List.of("root", "supergroup", 0755), ownership(old.stat("/")));
  }

  private static List<Object> ownership(FileStatus status) {
    return List.of(status.getOwner(), status.getGroup(), status.getPermission());
  }
}
