package io.raftfs.meta.namespace;

import java.util.Set;

/**
 * Who a permission check is for, as the replicated user table says: the user's name, its groups
 * (its own name among them) and whether it is a superuser, who passes every check.
 *
 * @param user the name that owns what it creates
 * @param groups every group it belongs to
 * @param superuser true for the bootstrap superuser, the superuser group and unsigned callers
 */
public record Accessor(String user, Set<String> groups, boolean superuser) {
  public Accessor {
    groups = Set.copyOf(groups);
  }
}
