package io.raftfs.meta.statemachine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.meta.namespace.Accessor;
import io.raftfs.meta.namespace.Namespace;
import io.raftfs.meta.namespace.NamespaceException;
import io.raftfs.meta.operation.Operations;
import io.raftfs.proto.BlockInfo;
import io.raftfs.proto.CommitFileRequest;
import io.raftfs.proto.ConcatRequest;
import io.raftfs.proto.ErrorCode;
import io.raftfs.proto.FileStatus;
import io.raftfs.proto.LoggedWrite;
import io.raftfs.proto.MetaBatch;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaResponse;
import io.raftfs.proto.MkdirRequest;
import io.raftfs.proto.ReserveBlockIdsRequest;
import io.raftfs.proto.SetOwnerRequest;
import io.raftfs.proto.SetPermissionRequest;
import io.raftfs.proto.StatRequest;
import io.raftfs.proto.UserRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code concat} as every replica applies it: the blocks of the sources become the target's in
 * order, with their own lengths, and the sources (and with {@code remove_parent} their directory)
 * go in the same entry; a refusal changes nothing; a retry is answered, not applied again;
 * permissions as HDFS's concat; the result survives a snapshot.
 */
class ConcatStateTest {
  private static final long NOW = 1_700_000_000_000L;
  private static final long MIB = 1 << 20;
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

  private void ok(String caller, LoggedWrite.Builder write) {
    MetaResponse response = apply(caller, write);
    assertEquals(ErrorCode.OK, response.getError(), response.getMessage());
  }

  private static LoggedWrite.Builder mkdir(String path, int mode) {
    return LoggedWrite.newBuilder()
        .setMkdir(MkdirRequest.newBuilder().setPath(path).setParents(true).setMode(mode));
  }

  /** A file of blocks of these lengths, with the next ids, in blocks of {@code blockSize}. */
  private long nextId = 1;

  private LoggedWrite.Builder file(String path, long blockSize, int replication, long... lengths) {
    CommitFileRequest.Builder commit =
        CommitFileRequest.newBuilder()
            .setPath(path)
            .setReplication(replication)
            .setBlockSize(blockSize);
    for (long length : lengths) {
      commit.addBlocks(
          BlockInfo.newBuilder().setBlockId(nextId++).setLength(length).setCrc32C((int) length));
    }
    return LoggedWrite.newBuilder().setCommitFile(commit);
  }

  private static ConcatRequest.Builder concat(String target, String... sources) {
    return ConcatRequest.newBuilder().setTarget(target).addAllSources(List.of(sources));
  }

  private static LoggedWrite.Builder write(ConcatRequest.Builder concat) {
    return LoggedWrite.newBuilder().setConcat(concat);
  }

  private MetaResponse read(MetaRequest.Builder request) {
    return store.read(request.build(), "", ConcatStateTest::answer);
  }

  /** A stat answered with the entry's status and, for a file, its blocks. */
  private static MetaResponse answer(MetaRequest request, Namespace namespace, Accessor caller)
      throws NamespaceException {
    String path = request.getStat().getPath();
    FileStatus status = namespace.stat(path);
    MetaResponse.Builder response = MetaResponse.newBuilder();
    response.getLocationsBuilder().setStatus(status);
    if (!status.getDirectory()) {
      for (BlockInfo block : namespace.blocks(path)) {
        response.getLocationsBuilder().addBlocksBuilder().setBlock(block);
      }
    }
    return response.build();
  }

  private MetaResponse stat(String path) {
    return read(MetaRequest.newBuilder().setStat(StatRequest.newBuilder().setPath(path)));
  }

  private FileStatus status(String path) {
    return stat(path).getLocations().getStatus();
  }

  private List<Long> blockIds(String path) {
    List<Long> ids = new ArrayList<>();
    stat(path).getLocations().getBlocksList().forEach(b -> ids.add(b.getBlock().getBlockId()));
    return ids;
  }

  private void addUser(String name) {
    ok(
        "",
        LoggedWrite.newBuilder()
            .setAddUser(
                UserRecord.newBuilder()
                    .setName(name)
                    .setAccessKeyId("RF" + name.toUpperCase() + "KEY".repeat(6))));
  }

  @Test
  void theSourcesBlocksBecomeTheTargetsInOrderAndTheSourcesAndTheirDirectoryGo() {
    ok(
        "",
        LoggedWrite.newBuilder()
            .setReserveBlockIds(ReserveBlockIdsRequest.newBuilder().setCount(100)));
    ok("", mkdir("/up/u1", 0700));
    ok("", mkdir("/bucket", 0755));
    ok("", file("/up/u1/00001", 8 * MIB, 2, 8 * MIB, 2 * MIB)); // ids 1, 2
    ok("", file("/up/u1/00002", 4 * MIB, 2, 3)); // id 3
    ok("", file("/up/u1/upload", MIB, 2)); // the marker: no blocks
    long filesBefore = store.files();

    MetaResponse made =
        apply(
            "",
            write(
                concat("/bucket/obj", "/up/u1/00002", "/up/u1/00001")
                    .putAttributes("s3.etag", "abc-2")
                    .setMode(0640)
                    .setRemoveParent(true)));

    assertEquals(ErrorCode.OK, made.getError(), made.getMessage());
    FileStatus object = made.getStatus();
    assertEquals("/bucket/obj", object.getPath());
    assertEquals(10 * MIB + 3, object.getLength());
    assertEquals(8 * MIB, object.getBlockSize(), "the largest of the sources' block sizes");
    assertEquals(2, object.getReplication());
    assertEquals(0640, object.getPermission());
    assertEquals(Map.of("s3.etag", "abc-2"), object.getAttributesMap());
    assertEquals(List.of(3L, 1L, 2L), blockIds("/bucket/obj"));
    assertEquals(ErrorCode.NOT_FOUND, stat("/up/u1").getError());
    assertEquals(filesBefore - 3 + 1, store.files());
    for (long id = 1; id <= 3; id++) {
      assertEquals(MetaStore.BlockFate.REFERENCED, store.fate(id));
    }
  }

  @Test
  void everyRefusalChangesNothing() {
    ok(
        "",
        LoggedWrite.newBuilder()
            .setReserveBlockIds(ReserveBlockIdsRequest.newBuilder().setCount(100)));
    ok("", mkdir("/a", 0755));
    ok("", mkdir("/b", 0755));
    ok("", file("/a/1", MIB, 2, 10));
    ok("", file("/a/2", MIB, 2, 10));
    ok("", file("/b/3", MIB, 3, 10));
    ok("", file("/t", MIB, 2, 10));
    String before = store.digest();

    record Case(ErrorCode code, ConcatRequest.Builder concat) {}
    for (Case refused :
        List.of(
            new Case(ErrorCode.NOT_FOUND, concat("/x", "/a/1", "/a/missing")),
            new Case(ErrorCode.IS_A_DIRECTORY, concat("/x", "/a/1", "/b")),
            new Case(ErrorCode.INVALID_ARGUMENT, concat("/x", "/a/1", "/a/1")),
            new Case(ErrorCode.INVALID_ARGUMENT, concat("/a/1", "/a/1", "/a/2").setOverwrite(true)),
            new Case(ErrorCode.INVALID_ARGUMENT, concat("/x", "/a/1", "/b/3")),
            new Case(ErrorCode.ALREADY_EXISTS, concat("/t", "/a/1", "/a/2")),
            new Case(ErrorCode.IS_A_DIRECTORY, concat("/b", "/a/1").setOverwrite(true)),
            new Case(ErrorCode.NOT_FOUND, concat("/nowhere/x", "/a/1")),
            new Case(ErrorCode.INVALID_ARGUMENT, concat("/a/x", "/a/1").setRemoveParent(true)),
            new Case(ErrorCode.INVALID_ARGUMENT, concat("/x", "/a/1", "/t").setRemoveParent(true)),
            new Case(ErrorCode.INVALID_ARGUMENT, concat("/x", "/t").setRemoveParent(true)),
            new Case(ErrorCode.INVALID_ARGUMENT, concat("/x")),
            new Case(
                ErrorCode.INVALID_ARGUMENT,
                concat("/x", "/a/1").putAttributes("", "an empty name")))) {
      MetaResponse answer = apply("", write(refused.concat()));
      assertEquals(
          refused.code(), answer.getError(), refused.concat() + ": " + answer.getMessage());
    }
    assertEquals(before, store.digest());
  }

  @Test
  void aRetriedConcatIsAnsweredFromTheDedupTableAndAppliedOnce() {
    ok(
        "",
        LoggedWrite.newBuilder()
            .setReserveBlockIds(ReserveBlockIdsRequest.newBuilder().setCount(10)));
    ok("", file("/p1", MIB, 1, 5));
    ok("", file("/p2", MIB, 1, 6));
    LoggedWrite.Builder call = write(concat("/whole", "/p1", "/p2")).setClientId("c").setCallId(7);

    MetaResponse first = apply("", call.clone());
    MetaResponse retry = apply("", call.clone());

    assertEquals(ErrorCode.OK, first.getError(), first.getMessage());
    assertEquals(first, retry);
    assertEquals(11, status("/whole").getLength());
    MetaResponse anotherCall = apply("", call.clone().setCallId(8));
    assertEquals(ErrorCode.ALREADY_EXISTS, anotherCall.getError(), "a new call is applied");
  }

  @Test
  void anOverwrittenTargetKeepsItsOwnerAndModeAndItsBlocksAreRetired() {
    ok(
        "",
        LoggedWrite.newBuilder()
            .setReserveBlockIds(ReserveBlockIdsRequest.newBuilder().setCount(10)));
    ok("", file("/old", MIB, 1, 5)); // id 1
    ok(
        "",
        LoggedWrite.newBuilder()
            .setSetPermission(
                SetPermissionRequest.newBuilder().setPath("/old").setPermission(0600)));
    ok("", file("/p", MIB, 1, 9)); // id 2

    ok("", write(concat("/old", "/p").setOverwrite(true).setMode(0644)));

    FileStatus replaced = status("/old");
    assertEquals(0600, replaced.getPermission());
    assertEquals(9, replaced.getLength());
    assertEquals(MetaStore.BlockFate.RETIRED, store.fate(1));
    assertEquals(
        ErrorCode.BLOCKS_RETIRED,
        apply("", LoggedWrite.newBuilder().setCommitFile(commitOf("/again", 1))).getError());
  }

  private static CommitFileRequest.Builder commitOf(String path, long blockId) {
    return CommitFileRequest.newBuilder()
        .setPath(path)
        .setReplication(1)
        .setBlockSize(MIB)
        .addBlocks(BlockInfo.newBuilder().setBlockId(blockId).setLength(5).setCrc32C(5));
  }

  @Test
  void readingTheSourcesAndWritingBothDirectoriesAreNeeded() {
    ok(
        "",
        LoggedWrite.newBuilder()
            .setReserveBlockIds(ReserveBlockIdsRequest.newBuilder().setCount(10)));
    addUser("alice");
    addUser("bob");
    ok("", mkdir("/uploads", 0755));
    ok("", mkdir("/uploads/a", 0700));
    ok("", mkdir("/alice", 0755));
    ok("", mkdir("/bob", 0755));
    for (String dir : List.of("/uploads/a", "/alice")) {
      ok(
          "",
          LoggedWrite.newBuilder()
              .setSetOwner(SetOwnerRequest.newBuilder().setPath(dir).setOwner("alice")));
    }
    ok(
        "",
        LoggedWrite.newBuilder()
            .setSetOwner(SetOwnerRequest.newBuilder().setPath("/bob").setOwner("bob")));
    ok("alice", file("/uploads/a/1", MIB, 1, 5));
    ok("alice", file("/uploads/a/2", MIB, 1, 5));
    String before = store.digest();

    for (var denied :
        List.of(
            // Bob may not read alice's parts, wherever he puts the result.
            List.of("bob", "/bob/x"),
            List.of("bob", "/alice/x"),
            // Alice may not write into bob's directory.
            List.of("alice", "/bob/x"))) {
      MetaResponse answer =
          apply(
              denied.get(0),
              write(concat(denied.get(1), "/uploads/a/1", "/uploads/a/2").setRemoveParent(true)));
      assertEquals(ErrorCode.PERMISSION_DENIED, answer.getError(), denied.toString());
    }
    // She may not remove the upload directory from /uploads (root's, 0755) either.
    assertEquals(
        ErrorCode.PERMISSION_DENIED,
        apply("alice", write(concat("/alice/x", "/uploads/a/1").setRemoveParent(true))).getError());
    assertEquals(before, store.digest());

    ok("alice", write(concat("/alice/x", "/uploads/a/1", "/uploads/a/2")));
    FileStatus made = status("/alice/x");
    assertEquals("alice", made.getOwner());
    assertEquals(10, made.getLength());
  }

  @Test
  void aConcatenatedFileSurvivesASnapshot() throws Exception {
    ok(
        "",
        LoggedWrite.newBuilder()
            .setReserveBlockIds(ReserveBlockIdsRequest.newBuilder().setCount(10)));
    ok("", mkdir("/u", 0755));
    ok("", file("/u/1", 2 * MIB, 1, 2 * MIB, 7));
    ok("", file("/u/2", MIB, 1, 11));
    ok("", write(concat("/o", "/u/1", "/u/2").putAttributes("k", "v").setRemoveParent(true)));

    ByteArrayOutputStream image = new ByteArrayOutputStream();
    store.writeSnapshot(image);
    MetaStore restored = new MetaStore(Operations.ALL);
    restored.loadSnapshot(new ByteArrayInputStream(image.toByteArray()));

    assertEquals(store.digest(), restored.digest());
    MetaRequest statO =
        MetaRequest.newBuilder().setStat(StatRequest.newBuilder().setPath("/o")).build();
    assertEquals(
        store.read(statO, "", ConcatStateTest::answer),
        restored.read(statO, "", ConcatStateTest::answer));
    assertEquals(List.of(1L, 2L, 3L), blockIds("/o"));
    assertTrue(restored.isReferenced(3));
    assertEquals(store.bytes(), restored.bytes());
  }
}
