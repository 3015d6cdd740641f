package io.raftfs.meta.namespace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.proto.BlockInfo;
import io.raftfs.proto.CommitFileRequest;
import io.raftfs.proto.DirectoryEntryImage;
import io.raftfs.proto.ErrorCode;
import io.raftfs.proto.FileStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class NamespaceTest {
  private static final long NOW = 1_700_000_000_000L;
  private final Namespace ns = new Namespace();

  private static CommitFileRequest file(String path, long... lengths) {
    CommitFileRequest.Builder request =
        CommitFileRequest.newBuilder().setPath(path).setReplication(3).setBlockSize(100);
    long id = 0;
    for (long length : lengths) {
      request.addBlocks(BlockInfo.newBuilder().setBlockId(++id).setLength(length).setCrc32C(7));
    }
    return request.build();
  }

  private static void assertFails(ErrorCode code, String message, Executable call) {
    NamespaceException e = assertThrows(NamespaceException.class, call);
    assertEquals(code, e.code());
    assertEquals(message, e.getMessage());
  }

  private List<String> names(String dir) throws NamespaceException {
    return ns.list(dir).stream().map(FileStatus::getPath).toList();
  }

  @Test
  void mkdirWithParentsCreatesTheChainAndIsIdempotent() throws Exception {
    FileStatus created = ns.mkdir("/a/b/c", true, NOW);
    assertTrue(created.getDirectory());
    assertEquals("/a/b/c", created.getPath());
    ns.mkdir("/a/b/c", true, NOW);
    assertEquals(4, ns.directories());
    assertEquals(List.of("/a/b"), names("/a"));
  }

  @Test
  void mkdirWithoutParentsNeedsTheParentAndRefusesAnExistingPath() throws Exception {
    assertFails(
        ErrorCode.NOT_FOUND, "/a: No such file or directory", () -> ns.mkdir("/a/b", false, NOW));
    ns.mkdir("/a", false, NOW);
    assertFails(ErrorCode.ALREADY_EXISTS, "/a: File exists", () -> ns.mkdir("/a", false, NOW));
  }

  @Test
  void mkdirBelowAFileIsNotADirectoryAndChangesNothing() throws Exception {
    ns.commit(file("/f", 10), NOW);
    assertFails(
        ErrorCode.NOT_A_DIRECTORY, "/f: Not a directory", () -> ns.mkdir("/f/x/y", true, NOW));
    assertEquals(1, ns.directories());
  }

  @Test
  void commitMakesTheFileVisibleWithItsBlocksAndCounters() throws Exception {
    ns.mkdir("/d", false, NOW);
    FileStatus status = ns.commit(file("/d/f", 100, 100, 5), NOW + 1).status();
    assertEquals(205, status.getLength());
    assertEquals(3, status.getChildren());
    assertEquals(NOW + 1, status.getMtimeMillis());
    assertEquals(
        List.of(100L, 100L, 5L), ns.blocks("/d/f").stream().map(BlockInfo::getLength).toList());
    assertEquals(1, ns.files());
    assertEquals(3, ns.blocks());
    assertEquals(205, ns.bytes());
  }

  @Test
  void emptyFileHasNoBlocks() throws Exception {
    assertEquals(0, ns.commit(file("/empty"), NOW).status().getLength());
    assertEquals(List.of(), ns.blocks("/empty"));
  }

  @Test
  void commitRefusesAnExistingFileUnlessOverwriteAndReleasesReplacedBlocks() throws Exception {
    ns.commit(file("/f", 10, 20), NOW);
    assertFails(ErrorCode.ALREADY_EXISTS, "/f: File exists", () -> ns.commit(file("/f", 1), NOW));
    CommitFileRequest replacement =
        CommitFileRequest.newBuilder()
            .setPath("/f")
            .setReplication(1)
            .setBlockSize(100)
            .setOverwrite(true)
            .addBlocks(BlockInfo.newBuilder().setBlockId(999).setLength(3))
            .build();
    Namespace.CommitResult result = ns.commit(replacement, NOW);
    assertEquals(2, result.releasedBlockIds().size());
    assertEquals(3, ns.stat("/f").getLength());
    assertEquals(1, ns.files());
    assertEquals(1, ns.blocks());
  }

  @Test
  void checkCommittableRefusesWhatACommitWouldRefuse() throws Exception {
    ns.mkdir("/dir", false, NOW);
    ns.commit(file("/dir/f", 1), NOW);

    ns.checkCommittable("/dir/new", false);
    ns.checkCommittable("/dir/f", true);
    assertFails(
        ErrorCode.ALREADY_EXISTS,
        "/dir/f: File exists",
        () -> ns.checkCommittable("/dir/f", false));
    assertFails(
        ErrorCode.IS_A_DIRECTORY, "/dir: Is a directory", () -> ns.checkCommittable("/dir", true));
    assertFails(
        ErrorCode.NOT_FOUND,
        "/missing: No such file or directory",
        () -> ns.checkCommittable("/missing/f", true));
    assertFails(
        ErrorCode.NOT_A_DIRECTORY,
        "/dir/f: Not a directory",
        () -> ns.checkCommittable("/dir/f/g", true));
  }

  @Test
  void commitValidatesParentShapeAndBlocks() throws Exception {
    assertFails(
        ErrorCode.NOT_FOUND,
        "/missing: No such file or directory",
        () -> ns.commit(file("/missing/f", 1), NOW));
    ns.mkdir("/dir", false, NOW);
    assertFails(
        ErrorCode.IS_A_DIRECTORY, "/dir: Is a directory", () -> ns.commit(file("/dir", 1), NOW));
    assertFails(
        ErrorCode.INVALID_ARGUMENT,
        "/f: block 1 has length 101 (block size 100)",
        () -> ns.commit(file("/f", 101), NOW));
    assertFails(
        ErrorCode.INVALID_ARGUMENT,
        "/f: replication must be 1..16, not 0",
        () -> ns.commit(file("/f", 1).toBuilder().setReplication(0).build(), NOW));
    CommitFileRequest twice =
        file("/f", 1).toBuilder().addBlocks(file("/f", 1).getBlocks(0)).build();
    assertFails(
        ErrorCode.INVALID_ARGUMENT, "/f: block 1 is listed twice", () -> ns.commit(twice, NOW));
    assertEquals(0, ns.files());
  }

  @Test
  void renameMovesFilesAndWholeDirectories() throws Exception {
    ns.mkdir("/a/b", true, NOW);
    ns.commit(file("/a/b/f", 7), NOW);
    ns.rename("/a/b", "/c", NOW);
    assertEquals(List.of("/c/f"), names("/c"));
    assertEquals(List.of(), names("/a"));
    ns.rename("/c/f", "/c/g", NOW);
    assertEquals(7, ns.stat("/c/g").getLength());
  }

  @Test
  void renameIntoAnExistingDirectoryKeepsTheName() throws Exception {
    ns.mkdir("/dst", false, NOW);
    ns.commit(file("/f", 1), NOW);
    ns.rename("/f", "/dst", NOW);
    assertEquals(List.of("/dst/f"), names("/dst"));
  }

  @Test
  void renameRefusesToMoveADirectoryIntoItselfOrOverAFile() throws Exception {
    ns.mkdir("/a/b", true, NOW);
    ns.commit(file("/f", 1), NOW);
    ns.commit(file("/g", 1), NOW);
    assertFails(
        ErrorCode.INVALID_MOVE,
        "/a: Cannot move a directory into itself (/a/b/x)",
        () -> ns.rename("/a", "/a/b/x", NOW));
    assertFails(
        ErrorCode.INVALID_MOVE,
        "/a: Cannot move a directory into itself (/a/b/a)",
        () -> ns.rename("/a", "/a/b", NOW));
    assertFails(ErrorCode.ALREADY_EXISTS, "/g: File exists", () -> ns.rename("/f", "/g", NOW));
    assertFails(
        ErrorCode.NOT_FOUND,
        "/nope: No such file or directory",
        () -> ns.rename("/nope", "/x", NOW));
    assertFails(
        ErrorCode.NOT_FOUND, "/x: No such file or directory", () -> ns.rename("/f", "/x/y", NOW));
    assertFails(
        ErrorCode.INVALID_ARGUMENT,
        "/: Cannot rename the root directory",
        () -> ns.rename("/", "/x", NOW));
    assertEquals(List.of("/a", "/f", "/g"), names("/"));
  }

  @Test
  void deleteRemovesFilesAndNeedsRecursiveForFullDirectories() throws Exception {
    ns.mkdir("/d/e", true, NOW);
    ns.commit(file("/d/e/f", 1, 2), NOW);
    assertFails(
        ErrorCode.DIRECTORY_NOT_EMPTY,
        "/d: Directory not empty",
        () -> ns.delete("/d", false, NOW));
    List<Long> released = ns.delete("/d", true, NOW);
    assertEquals(2, released.size());
    assertEquals(0, ns.files());
    assertEquals(0, ns.blocks());
    assertEquals(1, ns.directories());
    assertFails(ErrorCode.NOT_FOUND, "/d: No such file or directory", () -> ns.stat("/d"));
    ns.mkdir("/empty", false, NOW);
    ns.delete("/empty", false, NOW);
    assertFails(
        ErrorCode.INVALID_ARGUMENT,
        "/: Cannot delete the root directory",
        () -> ns.delete("/", true, NOW));
  }

  @Test
  void listOfAFileIsTheFileAndListIsSortedByName() throws Exception {
    ns.commit(file("/b", 1), NOW);
    ns.commit(file("/a", 1), NOW);
    ns.mkdir("/c", false, NOW);
    assertEquals(List.of("/a", "/b", "/c"), names("/"));
    assertEquals(List.of("/a"), names("/a"));
    FileStatus dir = ns.list("/").get(2);
    assertTrue(dir.getDirectory());
    assertFalse(ns.list("/").get(0).getDirectory());
  }

  @Test
  void blocksOfADirectoryIsAnError() throws Exception {
    assertFails(ErrorCode.IS_A_DIRECTORY, "/: Is a directory", () -> ns.blocks("/"));
  }

  @Test
  void imageRestoresAnIdenticalTree() throws Exception {
    ns.mkdir("/x/y", true, NOW);
    ns.commit(file("/x/y/f", 100, 3), NOW + 5);
    ns.commit(file("/top", 9), NOW + 6);
    List<DirectoryEntryImage> image = new ArrayList<>();
    ns.forEachEntry(image::add);

    Namespace restored = new Namespace();
    for (DirectoryEntryImage entry : image) {
      restored.restore(entry);
    }
    assertEquals(ns.stat("/x/y/f"), restored.stat("/x/y/f"));
    assertEquals(ns.list("/"), restored.list("/"));
    assertEquals(ns.blocks("/x/y/f"), restored.blocks("/x/y/f"));
    assertEquals(ns.files(), restored.files());
    assertEquals(ns.directories(), restored.directories());
    assertEquals(ns.bytes(), restored.bytes());
  }
}
