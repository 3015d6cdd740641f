package io.raftfs.meta.users;

import io.raftfs.proto.UserInfo;
import io.raftfs.proto.UserRecord;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The users of the replicated state, by name and by access key id. Not thread-safe: the store
 * guards it with its lock. The bootstrap superuser {@value #ROOT} is not in it: its key lives in
 * {@code raftfs.master.auth.root.credentials.file}.
 */
public final class UserTable {
  /** The bootstrap superuser's name. */
  public static final String ROOT = "root";

  /** Bounds the replicated state: every master keeps every user in memory. */
  public static final int MAX_USERS = 10_000;

  private final Map<String, UserRecord> byName = new TreeMap<>();
  private final Map<String, UserRecord> byKeyId = new HashMap<>();

  public UserRecord byName(String name) {
    return byName.get(name);
  }

  public UserRecord byKeyId(String accessKeyId) {
    return byKeyId.get(accessKeyId);
  }

  public int size() {
    return byName.size();
  }

  /** Adds {@code user}, or replaces the user of its name. */
  public void put(UserRecord user) {
    UserRecord previous = byName.put(user.getName(), user);
    if (previous != null) {
      byKeyId.remove(previous.getAccessKeyId());
    }
    byKeyId.put(user.getAccessKeyId(), user);
  }

  /** False if there is no such user. */
  public boolean remove(String name) {
    UserRecord removed = byName.remove(name);
    if (removed == null) {
      return false;
    }
    byKeyId.remove(removed.getAccessKeyId());
    return true;
  }

  /** By name. */
  public Collection<UserRecord> all() {
    return byName.values();
  }

  public void clear() {
    byName.clear();
    byKeyId.clear();
  }

  /**
   * True if {@code user} may do anything: unsigned callers (see {@link Identity#UNSIGNED}), the
   * bootstrap superuser, and members of {@code superGroup}.
   */
  public boolean isSuperuser(String user, String superGroup) {
    if (user.isEmpty() || user.equals(ROOT)) {
      return true;
    }
    UserRecord record = byName.get(user);
    return record != null && record.getGroupsList().contains(superGroup);
  }

  /** What clients may see of {@code user}: no secret, its own name first among its groups. */
  public static UserInfo.Builder info(UserRecord user) {
    return UserInfo.newBuilder()
        .setName(user.getName())
        .setAccessKeyId(user.getAccessKeyId())
        .addGroups(user.getName())
        .addAllGroups(groupsBesidesOwn(user));
  }

  private static List<String> groupsBesidesOwn(UserRecord user) {
    return user.getGroupsList().stream().filter(g -> !g.equals(user.getName())).toList();
  }
}
