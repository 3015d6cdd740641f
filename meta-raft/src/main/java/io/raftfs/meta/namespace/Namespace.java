package io.raftfs.meta.namespace;

import io.raftfs.proto.BlockInfo;
import io.raftfs.proto.CommitFileRequest;
import io.raftfs.proto.ConcatRequest;
import io.raftfs.proto.DirectoryEntryImage;
import io.raftfs.proto.FileStatus;
import io.raftfs.protocol.MetaLimits;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The directory tree: pure logic, no I/O, no Raft, no clock (callers pass the time, so every
 * replica that applies the same operations gets the same tree). Every mutation validates first and
 * changes nothing when it throws. Not thread-safe: the state machine serialises access.
 *
 * <pre>{@code
 * Namespace ns = new Namespace();
 * ns.mkdir("/a/b", true, now);
 * ns.commit(CommitFileRequest.newBuilder().setPath("/a/b/f").setReplication(3)
 *     .setBlockSize(64 << 20).build(), now);
 * ns.list("/a/b"); // [/a/b/f]
 * }</pre>
 */
public final class Namespace {
  public static final int MAX_REPLICATION = MetaLimits.MAX_REPLICATION;

  /** Who owns the root, and what entries of snapshots from before permissions load as. */
  public static final String DEFAULT_OWNER = "root";

  public static final String DEFAULT_GROUP = "supergroup";
  public static final int DEFAULT_DIRECTORY_MODE = 0755;
  public static final int DEFAULT_FILE_MODE = 0644;

  // One instance per owner and group in use: entries share them (Owners).
  private final Map<Owners, Owners> owners = new HashMap<>();
  private final DirectoryNode root =
      new DirectoryNode("", 0, owners(DEFAULT_OWNER, DEFAULT_GROUP), DEFAULT_DIRECTORY_MODE);
  // Every committed block and the file holding it: the replication monitor's worklist.
  private final BlockOwners blockOwners = new BlockOwners();
  private long files;
  private long directories = 1;
  private long blocks;
  private long bytes;

  /** {@link #mkdir(String, boolean, String, int, long)} by root, mode 0755. */
  public FileStatus mkdir(String path, boolean parents, long nowMillis) throws NamespaceException {
    return mkdir(path, parents, DEFAULT_OWNER, DEFAULT_DIRECTORY_MODE, nowMillis);
  }

  /**
   * Makes a directory owned by {@code owner} in its parent's group, as HDFS does. Missing ancestors
   * made on the way get {@code mode} plus {@code u+wx}, so their creator can go on below them.
   */
  public FileStatus mkdir(String path, boolean parents, String owner, int mode, long nowMillis)
      throws NamespaceException {
    String[] segments = PathNames.split(path);
    DirectoryNode dir = root;
    int depth = 0;
    for (; depth < segments.length; depth++) {
      INode child = dir.child(segments[depth]);
      if (child == null) {
        break;
      }
      if (!child.isDirectory()) {
        throw NamespaceException.notADirectory(PathNames.join(segments, depth + 1));
      }
      dir = (DirectoryNode) child;
    }
    if (depth == segments.length) {
      if (!parents) {
        throw NamespaceException.exists(PathNames.join(segments, depth));
      }
      return status(PathNames.join(segments, depth), dir);
    }
    if (!parents && depth < segments.length - 1) {
      throw NamespaceException.notFound(PathNames.join(segments, depth + 1));
    }
    for (; depth < segments.length; depth++) {
      int createdMode = depth == segments.length - 1 ? mode : mode | 0300;
      DirectoryNode created =
          new DirectoryNode(
              segments[depth], nowMillis, owners(owner, dir.owners.group()), createdMode);
      dir.put(created);
      dir.mtimeMillis = nowMillis;
      directories++;
      dir = created;
    }
    return status(PathNames.join(segments, segments.length), dir);
  }

  /** {@link #commit(CommitFileRequest, String, long)} by root. */
  public CommitResult commit(CommitFileRequest request, long nowMillis) throws NamespaceException {
    return commit(request, DEFAULT_OWNER, nowMillis);
  }

  /**
   * Makes a file appear with its complete block list, replacing an older version only when asked.
   * Returns the ids of the blocks that the replaced version held and no longer belong to any file.
   * A new file is owned by {@code owner} in its parent's group with the request's mode (0644 if it
   * has none); a replaced file keeps its owner, group and mode.
   */
  public CommitResult commit(CommitFileRequest request, String owner, long nowMillis)
      throws NamespaceException {
    String path = request.getPath();
    String[] segments = PathNames.split(path);
    if (segments.length == 0) {
      throw NamespaceException.isADirectory(path);
    }
    validateFileShape(request);
    DirectoryNode parent = commitTarget(segments, request.getOverwrite());
    String name = segments[segments.length - 1];
    INode existing = parent.child(name);
    checkBlocksAreFree(request, existing);
    List<Long> released = new ArrayList<>();
    Owners fileOwners = owners(owner, parent.owners.group());
    int mode = request.hasMode() ? request.getMode() : DEFAULT_FILE_MODE;
    if (existing != null) {
      fileOwners = existing.owners;
      mode = existing.mode;
      FileNode old = (FileNode) existing;
      Set<Long> kept = new HashSet<>();
      request.getBlocksList().forEach(block -> kept.add(block.getBlockId()));
      for (int i = 0; i < old.blockCount(); i++) {
        if (!kept.contains(old.blockId(i))) {
          released.add(old.blockId(i));
        }
      }
      forget(old);
    }
    FileNode file =
        new FileNode(
            name,
            nowMillis,
            fileOwners,
            mode,
            request.getReplication(),
            request.getBlockSize(),
            request.getBlocksList(),
            request.getAttributesMap());
    parent.put(file);
    parent.mtimeMillis = nowMillis;
    remember(file);
    return new CommitResult(status(PathNames.join(segments, segments.length), file), released);
  }

  /**
   * A commit may name only blocks no file holds, or that the file it replaces holds: otherwise
   * deleting either file would delete replicas the other still needs.
   */
  private void checkBlocksAreFree(CommitFileRequest request, INode replaced)
      throws NamespaceException {
    for (BlockInfo block : request.getBlocksList()) {
      FileNode owner = blockOwners.get(block.getBlockId());
      if (owner != null && owner != replaced) {
        throw NamespaceException.invalidArgument(
            request.getPath(), "block " + block.getBlockId() + " belongs to another file");
      }
    }
  }

  /** What a commit made visible, and the blocks of a replaced version that nothing uses now. */
  public record CommitResult(FileStatus status, List<Long> releasedBlockIds) {}

  /**
   * Makes {@code request.target} a file of the sources' blocks in their order and removes the
   * sources (with {@code remove_parent}, the directory holding them too, with all left in it): all
   * or nothing, every check before any change. No byte moves; the blocks change files. A new file
   * is owned by {@code owner} in its parent's group with the request's mode (0644 if none); a
   * replaced one keeps its owner, group and mode. Returns the blocks no file holds any more: the
   * replaced target's and those of whatever else the removed directory held.
   */
  public CommitResult concat(ConcatRequest request, String owner, long nowMillis)
      throws NamespaceException {
    ConcatPlan plan = planConcat(request);
    List<BlockInfo> blocks = new ArrayList<>(plan.blockCount);
    for (Located source : plan.sources) {
      blocks.addAll(((FileNode) source.node()).blocks());
    }
    List<Long> released = new ArrayList<>();
    Owners fileOwners = owners(owner, plan.targetParent.owners.group());
    int mode = request.hasMode() ? request.getMode() : DEFAULT_FILE_MODE;
    if (plan.existing != null) {
      fileOwners = plan.existing.owners;
      mode = plan.existing.mode;
      for (int i = 0; i < plan.existing.blockCount(); i++) {
        released.add(plan.existing.blockId(i));
      }
      forget(plan.existing);
    }
    for (Located source : plan.sources) {
      forget((FileNode) source.node());
      source.parent().remove(source.node());
      source.parent().mtimeMillis = nowMillis;
    }
    String name = plan.targetSegments[plan.targetSegments.length - 1];
    FileNode file =
        new FileNode(
            name,
            nowMillis,
            fileOwners,
            mode,
            plan.replication,
            plan.blockSize,
            blocks,
            request.getAttributesMap());
    plan.targetParent.put(file);
    plan.targetParent.mtimeMillis = nowMillis;
    remember(file);
    if (plan.removedDirectory != null) {
      released.addAll(delete(plan.removedDirectory, true, nowMillis));
    }
    return new CommitResult(
        status(PathNames.join(plan.targetSegments, plan.targetSegments.length), file), released);
  }

  /** Checks that {@link #concat} would succeed now, changing nothing. */
  public void checkConcatenable(ConcatRequest request) throws NamespaceException {
    planConcat(request);
  }

  /** What a concat found valid: where the file goes and what it is made of. */
  private record ConcatPlan(
      String[] targetSegments,
      DirectoryNode targetParent,
      FileNode existing,
      List<Located> sources,
      int replication,
      long blockSize,
      int blockCount,
      String removedDirectory) {}

  private ConcatPlan planConcat(ConcatRequest request) throws NamespaceException {
    String target = request.getTarget();
    String[] targetSegments = PathNames.split(target);
    if (targetSegments.length == 0) {
      throw NamespaceException.isADirectory(target);
    }
    if (request.getSourcesCount() == 0) {
      throw NamespaceException.invalidArgument(target, "no sources to concatenate");
    }
    DirectoryNode targetParent = commitTarget(targetSegments, request.getOverwrite());
    FileNode existing = (FileNode) targetParent.child(targetSegments[targetSegments.length - 1]);
    List<Located> sources = new ArrayList<>(request.getSourcesCount());
    Set<INode> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    int replication = 0;
    long blockSize = 0;
    int blockCount = 0;
    for (String source : request.getSourcesList()) {
      String[] segments = PathNames.split(source);
      String normalized = PathNames.join(segments, segments.length);
      if (segments.length == 0) {
        throw NamespaceException.isADirectory(normalized);
      }
      Located located = existing(segments);
      if (!(located.node() instanceof FileNode file)) {
        throw NamespaceException.isADirectory(normalized);
      }
      if (file == existing) {
        throw NamespaceException.invalidArgument(normalized, "a source cannot be the target");
      }
      if (!seen.add(file)) {
        throw NamespaceException.invalidArgument(normalized, "named twice as a source");
      }
      if (replication == 0) {
        replication = file.replication;
      } else if (file.replication != replication) {
        throw NamespaceException.invalidArgument(
            normalized,
            "replication " + file.replication + ", not the first source's " + replication);
      }
      blockSize = Math.max(blockSize, file.blockSize());
      blockCount += file.blockCount();
      sources.add(located);
    }
    if (blockCount > MetaLimits.MAX_BLOCKS_PER_FILE) {
      throw NamespaceException.invalidArgument(
          target,
          blockCount
              + " blocks, more than the "
              + MetaLimits.MAX_BLOCKS_PER_FILE
              + " a file may have");
    }
    String removedDirectory = null;
    if (request.getRemoveParent()) {
      removedDirectory = removableParent(request, sources, targetSegments);
    }
    return new ConcatPlan(
        targetSegments,
        targetParent,
        existing,
        sources,
        replication,
        blockSize,
        blockCount,
        removedDirectory);
  }

  /**
   * The one directory holding every source, which a concat with {@code remove_parent} removes: not
   * the root, and not one the target lies in.
   */
  private String removableParent(
      ConcatRequest request, List<Located> sources, String[] targetSegments)
      throws NamespaceException {
    DirectoryNode common = sources.get(0).parent();
    for (Located source : sources) {
      if (source.parent() != common) {
        throw NamespaceException.invalidArgument(
            request.getTarget(), "remove_parent needs every source in one directory");
      }
    }
    if (common == root) {
      throw NamespaceException.invalidArgument(
          request.getTarget(), "remove_parent would remove the root directory");
    }
    DirectoryNode dir = root;
    for (int i = 0; i < targetSegments.length - 1; i++) {
      dir = (DirectoryNode) dir.child(targetSegments[i]);
      if (dir == common) {
        throw NamespaceException.invalidArgument(
            request.getTarget(), "the target lies in the directory remove_parent removes");
      }
    }
    String[] first = PathNames.split(request.getSources(0));
    return PathNames.join(first, first.length - 1);
  }

  /**
   * POSIX-like rename. When the destination is an existing directory the source moves into it under
   * its own name; an existing file is never replaced. A directory never moves below itself.
   */
  public void rename(String source, String destination, long nowMillis) throws NamespaceException {
    String[] from = PathNames.split(source);
    String[] to = PathNames.split(destination);
    if (from.length == 0) {
      throw NamespaceException.invalidArgument(source, "Cannot rename the root directory");
    }
    Located located = existing(from);
    DirectoryNode fromParent = located.parent();
    INode moving = located.node();
    INode target = lookup(to);
    if (target != null && target.isDirectory()) {
      String[] into = new String[to.length + 1];
      System.arraycopy(to, 0, into, 0, to.length);
      into[to.length] = moving.name();
      to = into;
      target = lookup(to);
    }
    if (isPrefix(from, to)) {
      if (from.length == to.length) {
        return; // renaming a path to itself changes nothing
      }
      throw NamespaceException.invalidMove(
          PathNames.join(from, from.length), PathNames.join(to, to.length));
    }
    if (target != null) {
      throw NamespaceException.exists(PathNames.join(to, to.length));
    }
    DirectoryNode toParent = parentDirectory(to);
    checkPathsFitAfterMove(moving, from, to);
    String newName = to[to.length - 1];
    fromParent.remove(moving);
    fromParent.mtimeMillis = nowMillis;
    moving.rename(newName);
    toParent.put(moving);
    toParent.mtimeMillis = nowMillis;
  }

  /**
   * Refuses a move that would leave {@code moving} or anything below it with a path longer than
   * {@link PathNames#MAX_PATH_BYTES}: the snapshot stores whole paths, and every path must stay one
   * a client can name. Only a move to a longer path can break the limit, and only that one walks
   * the subtree, as a recursive delete does.
   */
  private static void checkPathsFitAfterMove(INode moving, String[] from, String[] to)
      throws NamespaceException {
    int oldBytes = pathBytes(from);
    int newBytes = pathBytes(to);
    if (newBytes <= oldBytes) {
      return;
    }
    int longest = newBytes + deepestBelow(moving);
    if (longest > PathNames.MAX_PATH_BYTES) {
      throw NamespaceException.invalidPath(
          PathNames.join(to, to.length),
          "an entry moved there would have a path of "
              + longest
              + " bytes, over "
              + PathNames.MAX_PATH_BYTES);
    }
  }

  private static int pathBytes(String[] segments) {
    int bytes = 0;
    for (String segment : segments) {
      bytes += 1 + PathNames.utf8Length(segment);
    }
    return bytes;
  }

  /** The longest path below {@code node}, in bytes, relative to it (0 for a file or empty dir). */
  private static int deepestBelow(INode node) {
    int deepest = 0;
    Deque<INode> pending = new ArrayDeque<>();
    Deque<Integer> lengths = new ArrayDeque<>();
    pending.push(node);
    lengths.push(0);
    while (!pending.isEmpty()) {
      INode next = pending.pop();
      int length = lengths.pop();
      deepest = Math.max(deepest, length);
      if (next instanceof DirectoryNode dir) {
        for (INode child : dir.children()) {
          pending.push(child);
          lengths.push(length + 1 + child.nameBytes());
        }
      }
    }
    return deepest;
  }

  /** Removes a file or directory; returns the ids of every block that belonged to it. */
  public List<Long> delete(String path, boolean recursive, long nowMillis)
      throws NamespaceException {
    String[] segments = PathNames.split(path);
    if (segments.length == 0) {
      throw NamespaceException.invalidArgument(path, "Cannot delete the root directory");
    }
    Located located = existing(segments);
    DirectoryNode parent = located.parent();
    INode node = located.node();
    if (node.isDirectory() && ((DirectoryNode) node).size() > 0 && !recursive) {
      throw NamespaceException.notEmpty(PathNames.join(segments, segments.length));
    }
    List<Long> released = new ArrayList<>();
    Deque<INode> pending = new ArrayDeque<>();
    pending.push(node);
    while (!pending.isEmpty()) {
      INode next = pending.pop();
      if (next instanceof DirectoryNode dir) {
        dir.children().forEach(pending::push);
        directories--;
      } else {
        FileNode file = (FileNode) next;
        for (int i = 0; i < file.blockCount(); i++) {
          released.add(file.blockId(i));
        }
        forget(file);
      }
    }
    parent.remove(node);
    parent.mtimeMillis = nowMillis;
    return released;
  }

  /** The checks of {@code caller}'s operations against this tree as it is now. */
  public Permissions permissions(Accessor caller) {
    return new Permissions(root, caller);
  }

  /** chmod: the entry's mode bits (see {@link Permissions#MAX_MODE}); its mtime is unchanged. */
  public FileStatus setPermission(String path, int mode) throws NamespaceException {
    String[] segments = PathNames.split(path);
    INode node = found(segments);
    node.mode = (short) mode;
    return status(PathNames.join(segments, segments.length), node);
  }

  /**
   * chown: the entry's owner and group; an empty one is kept.
   *
   * @throws NamespaceException INVALID_ARGUMENT if both are empty
   */
  public FileStatus setOwner(String path, String owner, String group) throws NamespaceException {
    String[] segments = PathNames.split(path);
    INode node = found(segments);
    if (owner.isEmpty() && group.isEmpty()) {
      throw NamespaceException.invalidArgument(path, "neither an owner nor a group to set");
    }
    node.owners =
        owners(
            owner.isEmpty() ? node.owners.owner() : owner,
            group.isEmpty() ? node.owners.group() : group);
    return status(PathNames.join(segments, segments.length), node);
  }

  INode found(String[] segments) throws NamespaceException {
    INode node = lookup(segments);
    if (node == null) {
      throw NamespaceException.notFound(PathNames.join(segments, segments.length));
    }
    return node;
  }

  /** The one instance of this owner and group. */
  private Owners owners(String owner, String group) {
    return owners.computeIfAbsent(new Owners(owner, group), key -> key);
  }

  public FileStatus stat(String path) throws NamespaceException {
    String[] segments = PathNames.split(path);
    INode node = lookup(segments);
    if (node == null) {
      throw NamespaceException.notFound(PathNames.join(segments, segments.length));
    }
    return status(PathNames.join(segments, segments.length), node);
  }

  /** A directory's entries sorted by name, or a file's own status. */
  public List<FileStatus> list(String path) throws NamespaceException {
    return list(path, "", 0).entries();
  }

  /**
   * One page of a listing.
   *
   * @param truncated entries after the last one were left out
   */
  public record Page(List<FileStatus> entries, boolean truncated) {}

  /**
   * The entries of a directory sorted by name (or the file itself when {@code path} is a file):
   * those after {@code startAfter} (empty: from the first), at most {@code limit} of them (0: all).
   */
  public Page list(String path, String startAfter, int limit) throws NamespaceException {
    String[] segments = PathNames.split(path);
    String normalized = PathNames.join(segments, segments.length);
    INode node = lookup(segments);
    if (node == null) {
      throw NamespaceException.notFound(normalized);
    }
    if (!node.isDirectory()) {
      return new Page(startAfter.isEmpty() ? List.of(status(normalized, node)) : List.of(), false);
    }
    String prefix = segments.length == 0 ? "/" : normalized + "/";
    List<INode> children = ((DirectoryNode) node).childrenAfter(startAfter);
    boolean truncated = limit > 0 && children.size() > limit;
    List<INode> page = truncated ? children.subList(0, limit) : children;
    List<FileStatus> entries = new ArrayList<>(page.size());
    for (INode child : page) {
      entries.add(status(prefix + child.name(), child));
    }
    return new Page(entries, truncated);
  }

  /** The blocks of a file in order. */
  public List<BlockInfo> blocks(String path) throws NamespaceException {
    String[] segments = PathNames.split(path);
    INode node = lookup(segments);
    if (node == null) {
      throw NamespaceException.notFound(PathNames.join(segments, segments.length));
    }
    if (node.isDirectory()) {
      throw NamespaceException.isADirectory(PathNames.join(segments, segments.length));
    }
    return ((FileNode) node).blocks();
  }

  /**
   * Checks that a file could be committed at {@code path} now, as {@link #commit} would: its parent
   * is a directory, the path is not a directory, and, unless {@code overwrite}, nothing is there.
   */
  public void checkCommittable(String path, boolean overwrite) throws NamespaceException {
    String[] segments = PathNames.split(path);
    if (segments.length == 0) {
      throw NamespaceException.isADirectory(path);
    }
    commitTarget(segments, overwrite);
  }

  /** The directory a file committed at {@code segments} goes into. */
  private DirectoryNode commitTarget(String[] segments, boolean overwrite)
      throws NamespaceException {
    DirectoryNode parent = parentDirectory(segments);
    INode existing = parent.child(segments[segments.length - 1]);
    if (existing != null && existing.isDirectory()) {
      throw NamespaceException.isADirectory(PathNames.join(segments, segments.length));
    }
    if (existing != null && !overwrite) {
      throw NamespaceException.exists(PathNames.join(segments, segments.length));
    }
    return parent;
  }

  public long rootMtimeMillis() {
    return root.mtimeMillis;
  }

  /** Restores the root's mtime, which is not an entry of the snapshot. */
  public void restoreRootMtime(long mtimeMillis) {
    root.mtimeMillis = mtimeMillis;
  }

  /** The root's status: its owner, group and mode go into the snapshot's header. */
  public FileStatus rootStatus() {
    return status("/", root);
  }

  /**
   * Restores the root's owner, group and mode from a snapshot; empty or absent ones (a snapshot
   * from before permissions) are root, supergroup and 0755.
   */
  public void restoreRootPermissions(String owner, String group, Integer mode) {
    root.owners = ownersOrDefault(owner, group);
    root.mode = (short) (mode == null ? DEFAULT_DIRECTORY_MODE : mode);
  }

  private Owners ownersOrDefault(String owner, String group) {
    return owners(owner.isEmpty() ? DEFAULT_OWNER : owner, group.isEmpty() ? DEFAULT_GROUP : group);
  }

  public long files() {
    return files;
  }

  public long directories() {
    return directories;
  }

  public long blocks() {
    return blocks;
  }

  public long bytes() {
    return bytes;
  }

  /**
   * Feeds the whole tree into {@code digest} in a canonical order (children sorted by name), so two
   * replicas with the same namespace produce the same digest whatever their history.
   */
  public void digest(java.security.MessageDigest digest) {
    // Depth-first with an explicit stack: a tree may be 2,048 levels deep.
    Deque<INode> pending = new ArrayDeque<>();
    Deque<String> paths = new ArrayDeque<>();
    push(pending, paths, root, "/");
    java.nio.ByteBuffer fields = java.nio.ByteBuffer.allocate(27);
    while (!pending.isEmpty()) {
      INode node = pending.pop();
      String path = paths.pop();
      digest.update(path.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      // Names end with a NUL, which no name contains, so "ab"+"c" never digests as "a"+"bc".
      digest.update(
          (node.owners.owner() + "\0" + node.owners.group() + "\0")
              .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      fields.clear();
      fields.put((byte) (node.isDirectory() ? 1 : 0)).putShort(node.mode).putLong(node.mtimeMillis);
      if (node instanceof FileNode file) {
        fields.putLong(file.replication).putLong(file.blockSize());
        digest.update(fields.array());
        for (BlockInfo block : file.blocks()) {
          digest.update(block.toByteArray());
        }
        // Sorted, each name and value NUL-terminated: replicas that agree digest alike.
        new java.util.TreeMap<>(file.attributes)
            .forEach(
                (name, value) -> {
                  digest.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                  digest.update((byte) 0);
                  digest.update(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                  digest.update((byte) 0);
                });
        continue;
      }
      fields.putLong(0).putLong(0);
      digest.update(fields.array());
      List<INode> children = ((DirectoryNode) node).children();
      String prefix = path.equals("/") ? "/" : path + "/";
      // Reverse order onto the stack, so children are visited sorted by name.
      for (int i = children.size() - 1; i >= 0; i--) {
        push(pending, paths, children.get(i), prefix + children.get(i).name());
      }
    }
  }

  /** Every entry but the root, parents before children: the snapshot's order. */
  public void forEachEntry(Consumer<DirectoryEntryImage> sink) {
    Deque<INode> pending = new ArrayDeque<>();
    Deque<String> paths = new ArrayDeque<>();
    root.children().forEach(child -> push(pending, paths, child, "/" + child.name()));
    while (!pending.isEmpty()) {
      INode node = pending.pop();
      String path = paths.pop();
      DirectoryEntryImage.Builder image =
          DirectoryEntryImage.newBuilder()
              .setPath(path)
              .setDirectory(node.isDirectory())
              .setMtimeMillis(node.mtimeMillis)
              .setOwner(node.owners.owner())
              .setGroup(node.owners.group())
              .setPermission(node.mode);
      if (node instanceof FileNode file) {
        image
            .setReplication(file.replication)
            .setBlockSize(file.blockSize())
            .addAllBlocks(file.blocks())
            .putAllAttributes(file.attributes);
      } else {
        ((DirectoryNode) node)
            .children()
            .forEach(child -> push(pending, paths, child, path + "/" + child.name()));
      }
      sink.accept(image.build());
    }
  }

  /** Adds one snapshot entry; its parent was restored before it. */
  public void restore(DirectoryEntryImage entry) throws NamespaceException {
    String[] segments = PathNames.splitStored(entry.getPath());
    DirectoryNode parent = parentDirectory(segments);
    String name = segments[segments.length - 1];
    Owners entryOwners = ownersOrDefault(entry.getOwner(), entry.getGroup());
    if (entry.getDirectory()) {
      int mode = entry.hasPermission() ? entry.getPermission() : DEFAULT_DIRECTORY_MODE;
      parent.put(new DirectoryNode(name, entry.getMtimeMillis(), entryOwners, mode));
      directories++;
    } else {
      FileNode file =
          new FileNode(
              name,
              entry.getMtimeMillis(),
              entryOwners,
              entry.hasPermission() ? entry.getPermission() : DEFAULT_FILE_MODE,
              entry.getReplication(),
              entry.getBlockSize(),
              entry.getBlocksList(),
              entry.getAttributesMap());
      parent.put(file);
      remember(file);
    }
  }

  private static void push(Deque<INode> nodes, Deque<String> paths, INode node, String path) {
    nodes.push(node);
    paths.push(path);
  }

  private static void validateFileShape(CommitFileRequest request) throws NamespaceException {
    String path = request.getPath();
    if (request.getReplication() < 1 || request.getReplication() > MAX_REPLICATION) {
      throw NamespaceException.invalidArgument(
          path, "replication must be 1.." + MAX_REPLICATION + ", not " + request.getReplication());
    }
    long blockSize = request.getBlockSize();
    if (blockSize < 1 || blockSize > FileNode.MAX_BLOCK_LENGTH) {
      throw NamespaceException.invalidArgument(
          path, "block size must be 1.." + FileNode.MAX_BLOCK_LENGTH + " bytes, not " + blockSize);
    }
    Set<Long> seen = new HashSet<>();
    for (BlockInfo block : request.getBlocksList()) {
      if (block.getLength() < 1 || block.getLength() > blockSize) {
        throw NamespaceException.invalidArgument(
            path,
            "block "
                + block.getBlockId()
                + " has length "
                + block.getLength()
                + " (block size "
                + blockSize
                + ")");
      }
      if (!seen.add(block.getBlockId())) {
        throw NamespaceException.invalidArgument(
            path, "block " + block.getBlockId() + " is listed twice");
      }
    }
  }

  private void remember(FileNode file) {
    files++;
    blocks += file.blockCount();
    bytes += file.length();
    for (int i = 0; i < file.blockCount(); i++) {
      blockOwners.put(file.blockId(i), file);
    }
  }

  private void forget(FileNode file) {
    files--;
    blocks -= file.blockCount();
    bytes -= file.length();
    for (int i = 0; i < file.blockCount(); i++) {
      blockOwners.remove(file.blockId(i), file);
    }
  }

  /** Visits every committed block once. */
  public void forEachBlock(BlockVisitor visitor) {
    blockOwners.forEach(
        (blockId, file) -> visitor.visit(blockId, file.replication, file.blockSize()));
  }

  /** Receives a committed block's id, its file's replication and block size. */
  @FunctionalInterface
  public interface BlockVisitor {
    void visit(long blockId, int replication, long blockSize);
  }

  public boolean isReferenced(long blockId) {
    return blockOwners.contains(blockId);
  }

  /** The committed block with this id, or null if no file holds it. */
  public BlockInfo block(long blockId) {
    FileNode file = blockOwners.get(blockId);
    if (file == null) {
      return null;
    }
    for (BlockInfo block : file.blocks()) {
      if (block.getBlockId() == blockId) {
        return block;
      }
    }
    return null;
  }

  /** Visits every file at or below {@code path}, with its blocks. */
  public void forEachFile(String path, FileVisitor visitor) throws NamespaceException {
    String[] segments = PathNames.split(path);
    INode start = lookup(segments);
    if (start == null) {
      throw NamespaceException.notFound(PathNames.join(segments, segments.length));
    }
    Deque<INode> pending = new ArrayDeque<>();
    Deque<String> paths = new ArrayDeque<>();
    push(pending, paths, start, PathNames.join(segments, segments.length));
    while (!pending.isEmpty()) {
      INode node = pending.pop();
      String nodePath = paths.pop();
      if (node instanceof FileNode file) {
        visitor.visit(nodePath, file.replication, file.blocks());
      } else {
        String prefix = nodePath.equals("/") ? "/" : nodePath + "/";
        ((DirectoryNode) node)
            .children()
            .forEach(child -> push(pending, paths, child, prefix + child.name()));
      }
    }
  }

  /** Receives a file's path, replication and blocks. */
  @FunctionalInterface
  public interface FileVisitor {
    void visit(String path, int replication, List<BlockInfo> blocks);
  }

  private INode lookup(String[] segments) {
    INode node = root;
    for (String segment : segments) {
      if (!(node instanceof DirectoryNode dir)) {
        return null;
      }
      node = dir.child(segment);
      if (node == null) {
        return null;
      }
    }
    return node;
  }

  /** An existing entry (never the root) and the directory holding it. */
  private record Located(DirectoryNode parent, INode node) {}

  private Located existing(String[] segments) throws NamespaceException {
    DirectoryNode parent = parentDirectory(segments);
    INode node = parent.child(segments[segments.length - 1]);
    if (node == null) {
      throw NamespaceException.notFound(PathNames.join(segments, segments.length));
    }
    return new Located(parent, node);
  }

  private DirectoryNode parentDirectory(String[] segments) throws NamespaceException {
    DirectoryNode dir = root;
    for (int i = 0; i < segments.length - 1; i++) {
      INode child = dir.child(segments[i]);
      if (child == null) {
        throw NamespaceException.notFound(PathNames.join(segments, i + 1));
      }
      if (!child.isDirectory()) {
        throw NamespaceException.notADirectory(PathNames.join(segments, i + 1));
      }
      dir = (DirectoryNode) child;
    }
    return dir;
  }

  private static boolean isPrefix(String[] prefix, String[] path) {
    if (prefix.length > path.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (!prefix[i].equals(path[i])) {
        return false;
      }
    }
    return true;
  }

  private static FileStatus status(String path, INode node) {
    FileStatus.Builder status =
        FileStatus.newBuilder()
            .setPath(path)
            .setDirectory(node.isDirectory())
            .setMtimeMillis(node.mtimeMillis)
            .setOwner(node.owners.owner())
            .setGroup(node.owners.group())
            .setPermission(node.mode & Permissions.MAX_MODE);
    if (node instanceof FileNode file) {
      status
          .setLength(file.length())
          .setReplication(file.replication)
          .setBlockSize(file.blockSize())
          .setChildren(file.blockCount())
          .putAllAttributes(file.attributes);
    } else {
      status.setChildren(((DirectoryNode) node).size());
    }
    return status.build();
  }
}
