package io.raftfs.meta.users;

import io.raftfs.meta.namespace.NamespaceException;
import java.util.List;

/**
 * What a user or group name may be: 1 to {@value #MAX_BYTES} characters of {@code [a-z0-9._-]}, as
 * portable POSIX user names, so names print safely in {@code ls -l} and match the same everywhere.
 */
public final class UserNames {
  public static final int MAX_BYTES = 64;

  /** Groups a user may be given besides its own. */
  public static final int MAX_GROUPS = 16;

  private UserNames() {}

  public static boolean valid(String name) {
    return !name.isEmpty()
        && name.length() <= MAX_BYTES
        && name.chars()
            .allMatch(
                c ->
                    (c >= 'a' && c <= 'z')
                        || (c >= '0' && c <= '9')
                        || c == '.'
                        || c == '_'
                        || c == '-');
  }

  /**
   * @throws NamespaceException INVALID_ARGUMENT naming the field
   */
  public static void check(String field, String name) throws NamespaceException {
    if (!valid(name)) {
      throw NamespaceException.invalidArgument(
          field,
          "'"
              + printable(name)
              + "' is not a user or group name (1.."
              + MAX_BYTES
              + " characters of a-z 0-9 . _ -)");
    }
  }

  /**
   * @throws NamespaceException INVALID_ARGUMENT for too many groups or a bad name
   */
  public static void checkGroups(List<String> groups) throws NamespaceException {
    if (groups.size() > MAX_GROUPS) {
      throw NamespaceException.invalidArgument("groups", "more than " + MAX_GROUPS);
    }
    for (String group : groups) {
      check("groups", group);
    }
  }

  private static String printable(String name) {
    String cut = name.length() > MAX_BYTES ? name.substring(0, MAX_BYTES) + "..." : name;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
