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

  private long lastBlockId;

  /** A commit of new blocks of these lengths (ids never used before in the test). */
  private CommitFileRequest file(String path, long... lengths) {
    CommitFileRequest.Builder request =
        CommitFileRequest.newBuilder().setPath(path).setReplication(3).setBlockSize(100);
    for (long length : lengths) {
      request.addBlocks(
          BlockInfo.newBuilder().setBlockId(++lastBlockId).setLength(length).setCrc32C(7));
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
  void aListingIsPagedByTheLastNameSeen() throws Exception {
    for (String name : List.of("d", "b", "e", "a", "c")) {
      ns.mkdir("/dir/" + name, true, NOW);
    }
    List<String> seen = new ArrayList<>();
    String after = "";
    List<Boolean> truncated = new ArrayList<>();
    while (true) {
      Namespace.Page page = ns.list("/dir", after, 2);
      page.entries().forEach(entry -> seen.add(entry.getPath()));
      truncated.add(page.truncated());
      if (!page.truncated()) {
        break;
      }
      after = page.entries().get(page.entries().size() - 1).getPath().substring("/dir/".length());
    }
    assertEquals(List.of("/dir/a", "/dir/b", "/dir/c", "/dir/d", "/dir/e"), seen);
    assertEquals(List.of(true, true, false), truncated);
    assertEquals(List.of(), ns.list("/dir", "e", 2).entries());
    assertEquals(5, ns.list("/dir", "", 0).entries().size());
  }

  /**
   * A directory keeps its children sorted through inserts anywhere, removals and renames, in the
   * order of String.compareTo (UTF-16 units: U+FFFD sorts after a supplementary character).
   */
  @Test
  void aLargeDirectoryListsInNameOrderThroughEveryChange() throws Exception {
    ns.mkdir("/big", false, NOW);
    List<String> expected = new ArrayList<>();
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 2_000; i++) {
      String name = "n" + random.nextInt(1_000_000) + (i % 3 == 0 ? "\uFFFD" : "\uD834\uDD1E");
      if (!expected.contains(name)) {
        expected.add(name);
        ns.commit(file("/big/" + name, 1), NOW);
      }
    }
    for (int i = 0; i < 500; i++) {
      String gone = expected.remove(random.nextInt(expected.size()));
      if (i % 2 == 0) {
        ns.delete("/big/" + gone, false, NOW);
      } else {
        ns.rename("/big/" + gone, "/big/r" + gone, NOW);
        expected.add("r" + gone);
      }
    }
    expected.sort(String::compareTo);
    assertEquals(expected.stream().map(name -> "/big/" + name).toList(), names("/big"));
    for (String name : expected) {
      assertEquals("/big/" + name, ns.stat("/big/" + name).getPath());
    }
    assertEquals(expected.size(), ns.files());
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
  void aCommitCannotNameABlockOfAnotherFile() throws Exception {
    CommitFileRequest first = file("/first", 50);
    ns.commit(first, NOW);
    long taken = first.getBlocks(0).getBlockId();
    CommitFileRequest thief =
        CommitFileRequest.newBuilder()
            .setPath("/thief")
            .setReplication(3)
            .setBlockSize(100)
            .addBlocks(first.getBlocks(0))
            .build();

    assertFails(
        ErrorCode.INVALID_ARGUMENT,
        "/thief: block " + taken + " belongs to another file",
        () -> ns.commit(thief, NOW));
    assertEquals(1, ns.files());
    // Deleting the first file releases its block; nothing else held it.
    assertEquals(List.of(taken), ns.delete("/first", false, NOW));
    assertFalse(ns.isReferenced(taken));
  }

  @Test
  void anOverwriteMayKeepBlocksOfTheFileItReplaces() throws Exception {
    CommitFileRequest original = file("/f", 100, 7);
    ns.commit(original, NOW);
    CommitFileRequest sameBlocks = original.toBuilder().setOverwrite(true).build();

    assertEquals(List.of(), ns.commit(sameBlocks, NOW + 1).releasedBlockIds());
    assertTrue(ns.isReferenced(original.getBlocks(0).getBlockId()));
    assertEquals(2, ns.blocks());
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
    CommitFileRequest tooLong = file("/f", 101);
    assertFails(
        ErrorCode.INVALID_ARGUMENT,
        "/f: block " + tooLong.getBlocks(0).getBlockId() + " has length 101 (block size 100)",
        () -> ns.commit(tooLong, NOW));
    assertFails(
        ErrorCode.INVALID_ARGUMENT,
        "/f: replication must be 1..16, not 0",
        () -> ns.commit(file("/f", 1).toBuilder().setReplication(0).build(), NOW));
    CommitFileRequest once = file("/f", 1);
    CommitFileRequest twice = once.toBuilder().addBlocks(once.getBlocks(0)).build();
    assertFails(
        ErrorCode.INVALID_ARGUMENT,
        "/f: block " + once.getBlocks(0).getBlockId() + " is listed twice",
        () -> ns.commit(twice, NOW));
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

  /** A path of {@code depth} names, each {@code nameBytes} long, at most the path limit. */
  private static String deepPath(int depth, int nameBytes) {
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < depth; i++) {
      String name = (char) ('a' + i % 26) + "x".repeat(nameBytes - 1);
      path.append('/').append(name);
    }
    return path.toString();
  }

  @Test
  void renameThatWouldPushADescendantPastThePathLimitIsRefusedAndChangesNothing() throws Exception {
    String deep = "/t" + deepPath(20, 200); // 2 + 20 * 201 = 4,022 bytes
    ns.mkdir(deep, true, NOW);
    String longName = "/" + "n".repeat(PathNames.MAX_NAME_BYTES);

    NamespaceException refused =
        assertThrows(NamespaceException.class, () -> ns.rename("/t", longName, NOW + 1));
    assertEquals(ErrorCode.INVALID_PATH, refused.code());
    assertTrue(refused.getMessage().contains("over 4096"), refused.getMessage());
    assertTrue(ns.stat(deep).getDirectory());
    assertEquals(List.of("/t"), names("/"));

    // A longer name that still fits is allowed: 4,020 + 76 bytes.
    String fits = "/" + "m".repeat(75);
    ns.rename("/t", fits, NOW + 2);
    assertTrue(ns.stat(fits + deep.substring(2)).getDirectory());
  }

  @Test
  void renameIntoADirectoryCountsTheNameItKeeps() throws Exception {
    String deepDir = deepPath(16, 250); // 16 * 251 = 4,016 bytes
    ns.mkdir(deepDir, true, NOW);
    ns.mkdir("/" + "q".repeat(100), false, NOW);

    assertFails(
        ErrorCode.INVALID_PATH,
        deepDir
            + "/"
            + "q".repeat(100)
            + ": Invalid path (an entry moved there would have a path of 4117 bytes, over 4096)",
        () -> ns.rename("/" + "q".repeat(100), deepDir, NOW + 1));
    assertEquals(2, ns.list("/").size());
  }

  @Test
  void namesLongerThan255BytesAreRefused() {
    assertFails(
        ErrorCode.INVALID_PATH,
        "x".repeat(64) + "…: Invalid path (name longer than 255 bytes)",
        () -> ns.mkdir("/" + "x".repeat(256), false, NOW));
  }

  @Test
  void theWorstNamespaceTheRulesAllowRoundTripsThroughItsImage() throws Exception {
    // The longest path of the longest names, and the deepest tree (2,048 levels of one byte).
    String longest = deepPath(16, 255).substring(0, PathNames.MAX_PATH_BYTES - 8) + "/zzzzzzz";
    ns.mkdir(longest.substring(0, longest.lastIndexOf('/')), true, NOW);
    ns.commit(file(longest, 100), NOW + 1);
    String deepest = "/d".repeat(PathNames.MAX_PATH_BYTES / 2);
    ns.mkdir(deepest, true, NOW + 2);
    assertEquals(PathNames.MAX_PATH_BYTES, longest.length());
    assertEquals(PathNames.MAX_PATH_BYTES, deepest.length());

    List<DirectoryEntryImage> image = new ArrayList<>();
    ns.forEachEntry(image::add);
    Namespace restored = new Namespace();
    restored.restoreRootMtime(ns.rootMtimeMillis());
    for (DirectoryEntryImage entry : image) {
      restored.restore(entry);
    }
    assertEquals(ns.stat(longest), restored.stat(longest));
    assertEquals(ns.stat(deepest), restored.stat(deepest));
    assertEquals(digest(ns), digest(restored));
  }

  @Test
  void anImageWrittenUnderLooserLimitsStillLoads() throws Exception {
    // An older master accepted such renames; its snapshot must still load after an upgrade.
    String tooLong = "/" + "a".repeat(300) + "/" + "b".repeat(PathNames.MAX_PATH_BYTES);
    Namespace restored = new Namespace();
    restored.restore(image(tooLong.substring(0, 301), true));
    restored.restore(image(tooLong, false));

    assertEquals(1, restored.files());
    assertEquals(2L, restored.directories());
  }

  @Test
  void namesWithControlCharactersFromOlderMastersStillApplyLoadAndGo() throws Exception {
    // Older leaders logged and snapshotted such names: replay and load must not refuse them, and
    // they must stay reachable to be renamed or removed (only new names are refused, on the
    // leader).
    String odd = "/old\u0001\u001bname";
    ns.mkdir(odd, false, NOW);
    Namespace restored = new Namespace();
    restored.restore(image("/img\u007f", true));
    assertEquals(2L, restored.directories());
    assertTrue(ns.stat(odd).getDirectory());
    ns.rename(odd, "/renamed", NOW);
    ns.delete("/renamed", false, NOW);
    assertEquals(1, ns.directories());
  }

  private static DirectoryEntryImage image(String path, boolean directory) {
    DirectoryEntryImage.Builder entry =
        DirectoryEntryImage.newBuilder().setPath(path).setDirectory(directory).setMtimeMillis(NOW);
    if (!directory) {
      entry.setReplication(1).setBlockSize(100);
    }
    return entry.build();
  }

  private static String digest(Namespace namespace) throws Exception {
    java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
    namespace.digest(sha);
    return java.util.HexFormat.of().formatHex(sha.digest());
  }
}
