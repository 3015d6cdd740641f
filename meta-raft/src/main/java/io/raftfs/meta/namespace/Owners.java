package io.raftfs.meta.namespace;

/**
 * An entry's owner and group. Immutable and interned by the {@link Namespace}: every entry with the
 * same pair points at one instance, so a file pays one reference for both names.
 */
record Owners(String owner, String group) {}
