package io.raftfs.meta.namespace;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The permission checks of one caller against the tree, as HDFS's FSPermissionChecker makes them:
 * {@code x} on every ancestor to reach an entry, {@code w+x} on a directory to change its entries,
 * {@code r} to read a file, {@code r+x} to list a directory. The sticky bit on a directory lets
 * only an entry's owner or the directory's owner remove or move the entry. Superusers pass every
 * check.
 *
 * <p>Only reads the tree. A check finds nothing to refuse where the path does not resolve: the
 * operation itself then refuses with the path's error. Each check throws PERMISSION_DENIED naming
 * the path the caller gave, so the leader (before logging) and every replica (on apply) refuse the
 * same writes with the same answer.
 */
public final class Permissions {
  public static final int READ = 4;
  public static final int WRITE = 2;
  public static final int EXECUTE = 1;
  public static final int STICKY = 01000;

  /** The bits a mode may have: rwx for owner, group and other, and the sticky bit. */
  public static final int MAX_MODE = 01777;

  private final DirectoryNode root;
  private final Accessor caller;

  Permissions(DirectoryNode root, Accessor caller) {
    this.root = root;
    this.caller = caller;
  }

  /** stat: only reaching it. */
  public void checkStat(String path) throws NamespaceException {
    resolve(path);
  }

  /** list: {@code r+x} on a directory; a file only needs reaching. */
  public void checkList(String path) throws NamespaceException {
    Resolved at = resolve(path);
    if (at.node() instanceof DirectoryNode dir) {
      require(dir, READ | EXECUTE, at.path());
    }
  }

  /** get_block_locations: {@code r} on the file. */
  public void checkRead(String path) throws NamespaceException {
    Resolved at = resolve(path);
    if (at.node() != null && !at.node().isDirectory()) {
      require(at.node(), READ, at.path());
    }
  }

  /** mkdir: {@code w+x} on the deepest existing ancestor, if anything is to be made. */
  public void checkMkdir(String path) throws NamespaceException {
    Resolved at = resolve(path);
    if (at.node() == null && at.deepest() instanceof DirectoryNode dir) {
      require(dir, WRITE | EXECUTE, at.path());
    }
  }

  /**
   * commit_file, allocate_blocks: {@code w+x} on the parent, and {@code w} on the file it would
   * overwrite.
   */
  public void checkCreate(String path) throws NamespaceException {
    Resolved at = resolve(path);
    if (at.parent() != null) {
      require(at.parent(), WRITE | EXECUTE, at.path());
    }
    if (at.node() != null && !at.node().isDirectory()) {
      require(at.node(), WRITE, at.path());
    }
  }

  /**
   * delete: {@code w+x} on the parent and the sticky bit's rule; recursive, {@code w+x} on every
   * non-empty directory at and below the path too (HDFS's subtree check).
   */
  public void checkDelete(String path, boolean recursive) throws NamespaceException {
    Resolved at = resolve(path);
    if (at.node() == null || at.parent() == null) {
      return;
    }
    checkRemoval(at);
    if (recursive && at.node() instanceof DirectoryNode dir) {
      checkSubtree(dir, WRITE | EXECUTE, true, at.path());
    }
  }

  /**
   * rename: {@code w+x} on the source's parent (with the sticky bit's rule) and on the directory
   * the entry moves into: the destination itself when it is a directory, as {@link
   * Namespace#rename} moves into it.
   */
  public void checkRename(String source, String destination) throws NamespaceException {
    Resolved from = resolve(source);
    if (from.node() == null || from.parent() == null) {
      return;
    }
    checkRemoval(from);
    Resolved to = resolve(destination);
    DirectoryNode into = to.node() instanceof DirectoryNode dir ? dir : to.parent();
    if (into != null) {
      require(into, WRITE | EXECUTE, to.path());
    }
  }

  /**
   * concat, as HDFS's: {@code r} on every source and taking it out of its directory ({@code w+x}
   * there, the sticky bit's rule); creating the target ({@link #checkCreate}); with {@code
   * removeParent}, a recursive delete of the sources' directory ({@link #checkDelete}).
   */
  public void checkConcat(String target, List<String> sources, boolean removeParent)
      throws NamespaceException {
    checkCreate(target);
    for (String source : sources) {
      checkRead(source);
      Resolved at = resolve(source);
      if (at.node() != null && at.parent() != null) {
        checkRemoval(at);
      }
    }
    if (removeParent && !sources.isEmpty()) {
      String[] first = PathNames.split(sources.get(0));
      if (first.length > 1) {
        checkDelete(PathNames.join(first, first.length - 1), true);
      }
    }
  }

  /** chmod: only the owner. */
  public void checkSetPermission(String path) throws NamespaceException {
    Resolved at = resolve(path);
    if (at.node() != null) {
      requireOwner(at.node(), at.path());
    }
  }

  /**
   * chown: only a superuser gives an entry to another owner; its owner may set its group to one of
   * its own groups.
   *
   * @param owner the new owner, "" to keep it
   * @param group the new group, "" to keep it
   */
  public void checkSetOwner(String path, String owner, String group) throws NamespaceException {
    Resolved at = resolve(path);
    if (at.node() == null || caller.superuser()) {
      return;
    }
    requireOwner(at.node(), at.path());
    if (!owner.isEmpty() && !owner.equals(caller.user())) {
      throw NamespaceException.permissionDenied(at.path());
    }
    if (!group.isEmpty() && !caller.groups().contains(group)) {
      throw NamespaceException.permissionDenied(at.path());
    }
  }

  /** fsck of a tree: {@code r+x} on every directory of it. */
  public void checkFsck(String path) throws NamespaceException {
    Resolved at = resolve(path);
    if (at.node() instanceof DirectoryNode dir) {
      checkSubtree(dir, READ | EXECUTE, false, at.path());
    }
  }

  /** True if the caller has every bit of {@code wanted} (READ, WRITE, EXECUTE) on {@code node}. */
  boolean permits(INode node, int wanted) {
    if (caller.superuser()) {
      return true;
    }
    int shift;
    if (node.owners.owner().equals(caller.user())) {
      shift = 6;
    } else if (caller.groups().contains(node.owners.group())) {
      shift = 3;
    } else {
      shift = 0;
    }
    return ((node.mode >> shift) & wanted) == wanted;
  }

  private void require(INode node, int wanted, String path) throws NamespaceException {
    if (!permits(node, wanted)) {
      throw NamespaceException.permissionDenied(path);
    }
  }

  private void requireOwner(INode node, String path) throws NamespaceException {
    if (!caller.superuser() && !node.owners.owner().equals(caller.user())) {
      throw NamespaceException.permissionDenied(path);
    }
  }

  /** Taking {@code at.node()} out of its parent: {@code w+x} there, and the sticky bit's rule. */
  private void checkRemoval(Resolved at) throws NamespaceException {
    DirectoryNode parent = at.parent();
    require(parent, WRITE | EXECUTE, at.path());
    if (caller.superuser() || (parent.mode & STICKY) == 0) {
      return;
    }
    if (!at.node().owners.owner().equals(caller.user())
        && !parent.owners.owner().equals(caller.user())) {
      throw NamespaceException.permissionDenied(at.path());
    }
  }

  /** {@code wanted} on every directory at and below {@code top} (with entries only, if asked). */
  private void checkSubtree(DirectoryNode top, int wanted, boolean nonEmptyOnly, String path)
      throws NamespaceException {
    if (caller.superuser()) {
      return;
    }
    // An explicit stack: a tree may be 2,048 levels deep.
    Deque<DirectoryNode> pending = new ArrayDeque<>();
    pending.push(top);
    while (!pending.isEmpty()) {
      DirectoryNode dir = pending.pop();
      if (nonEmptyOnly && dir.size() == 0) {
        continue;
      }
      require(dir, wanted, path);
      for (INode child : dir.children()) {
        if (child instanceof DirectoryNode below) {
          pending.push(below);
        }
      }
    }
  }

  /**
   * Where {@code path} leads: the entry (null if missing), its parent directory (null for the root
   * or where an ancestor is missing), and the deepest existing entry on the way. Checks {@code x}
   * on every existing ancestor directory on the way.
   */
  private Resolved resolve(String path) throws NamespaceException {
    String[] segments = PathNames.split(path);
    String normalized = PathNames.join(segments, segments.length);
    INode node = root;
    DirectoryNode parent = null;
    for (int i = 0; i < segments.length; i++) {
      if (!(node instanceof DirectoryNode dir)) {
        return new Resolved(normalized, null, null, node);
      }
      require(dir, EXECUTE, normalized);
      INode child = dir.child(segments[i]);
      if (child == null) {
        // The missing entry's parent exists only when it is the last name.
        return new Resolved(normalized, null, i == segments.length - 1 ? dir : null, dir);
      }
      parent = dir;
      node = child;
    }
    return new Resolved(normalized, node, parent, node);
  }

  private record Resolved(String path, INode node, DirectoryNode parent, INode deepest) {}
}
