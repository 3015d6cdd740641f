package io.raftfs.s3;

import io.raftfs.client.meta.MetaClient;
import io.raftfs.client.meta.NotADirectoryException;
import io.raftfs.client.meta.PathNotFoundException;
import io.raftfs.proto.FileStatus;
import io.raftfs.proto.Listing;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.TreeMap;

/**
 * One directory's entries in S3's key order, read from the masters a page at a time, so that a
 * listing page costs about its size, not the directory's.
 *
 * <p>S3 orders keys by their full text. The masters order a directory's entries by name, which is
 * not the same: a directory {@code a} holds the keys {@code a/...}, which sort after a file {@code
 * a-b} ({@code -} is below {@code /}) though its name sorts before it. So an entry sorts here by
 * its <em>key order name</em>: a file's name, a directory's name and a {@code /}. Directories are
 * held back until no entry still to come can sort before them; every entry to come has a name above
 * the one just read, and its key order name is at least its name.
 *
 * <p>Only entries some key of which sorts after {@code marker} (the listing's marker, relative to
 * this directory) are given: a file named above it, a directory whose key order name is above it or
 * begins it (the marker lies inside that directory). And only those whose names start with {@code
 * namePrefix}.
 */
final class ChildrenInKeyOrder implements Iterator<FileStatus> {
  private final MetaClient meta;
  private final String path;
  private final String marker;
  private final String namePrefix;
  private final int pageSize;

  /** Directories held back, by key order name. */
  private final TreeMap<String, FileStatus> heldBack = new TreeMap<>();

  /** Entries ready to give, in key order. */
  private final ArrayDeque<FileStatus> ready = new ArrayDeque<>();

  private String startAfter;
  private boolean exhausted;

  /**
   * @param path the directory's raftfs path
   * @param marker only entries with keys after it (relative to the directory; empty: all)
   * @param namePrefix only entries whose names start with it (empty: all)
   * @param pageSize entries asked of the masters at a time
   */
  ChildrenInKeyOrder(MetaClient meta, String path, String marker, String namePrefix, int pageSize) {
    this.meta = meta;
    this.path = path;
    this.marker = marker;
    this.namePrefix = namePrefix;
    this.pageSize = pageSize;
    String segment = firstSegment(marker);
    startAfter = max(below(segment), below(namePrefix));
    if (!segment.isEmpty()) {
      holdBackDirectoriesBefore(segment);
    }
  }

  /** The name an entry sorts by among its siblings in key order. */
  static String keyOrderName(FileStatus entry) {
    String name = name(entry);
    return entry.getDirectory() ? name + "/" : name;
  }

  static String name(FileStatus entry) {
    return entry.getPath().substring(entry.getPath().lastIndexOf('/') + 1);
  }

  @Override
  public boolean hasNext() {
    while (ready.isEmpty() && !exhausted) {
      readPage();
    }
    if (ready.isEmpty()) {
      while (!heldBack.isEmpty()) {
        ready.add(heldBack.pollFirstEntry().getValue());
      }
    }
    return !ready.isEmpty();
  }

  @Override
  public FileStatus next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return ready.poll();
  }

  /**
   * Directories named below the marker's first segment whose keys can still sort after the marker:
   * those whose names begin the segment and are followed there by a character below {@code /} (a
   * directory {@code key} when the marker is {@code key-0099}). Reading starts just below the
   * segment, so these few are asked for one by one.
   */
  private void holdBackDirectoriesBefore(String segment) {
    for (int end = 1; end < segment.length(); end++) {
      if (segment.charAt(end) < '/') {
        String name = segment.substring(0, end);
        if (!name.startsWith(namePrefix)) {
          continue;
        }
        try {
          FileStatus entry = meta.stat(path + "/" + name);
          if (entry.getDirectory() && wanted(entry)) {
            heldBack.put(keyOrderName(entry), entry);
          }
        } catch (PathNotFoundException | NotADirectoryException e) {
          // No such directory: nothing to hold back.
        }
      }
    }
  }

  private void readPage() {
    Listing page;
    try {
      page = meta.listPage(path, startAfter, pageSize);
    } catch (PathNotFoundException | NotADirectoryException e) {
      exhausted = true;
      return;
    }
    for (FileStatus entry : page.getEntriesList()) {
      String name = name(entry);
      startAfter = name;
      if (!name.startsWith(namePrefix) && name.compareTo(namePrefix) > 0) {
        exhausted = true; // past every name with the prefix
        return;
      }
      // Every entry still to come sorts at or after this name: what is held back below it goes.
      while (!heldBack.isEmpty() && heldBack.firstKey().compareTo(name) < 0) {
        ready.add(heldBack.pollFirstEntry().getValue());
      }
      if (!name.startsWith(namePrefix) || !wanted(entry)) {
        continue;
      }
      if (entry.getDirectory()) {
        heldBack.put(keyOrderName(entry), entry);
      } else {
        ready.add(entry);
      }
    }
    exhausted = !page.getTruncated();
  }

  /** True if some key of the entry can sort after the marker. */
  private boolean wanted(FileStatus entry) {
    String name = keyOrderName(entry);
    return name.compareTo(marker) > 0 || (entry.getDirectory() && marker.startsWith(name));
  }

  private static String firstSegment(String marker) {
    int slash = marker.indexOf('/');
    return slash < 0 ? marker : marker.substring(0, slash);
  }

  /**
   * A name just below {@code name}, so that reading after it starts at {@code name}: the last
   * character one lower (names between the two are read and filtered out).
   */
  private static String below(String name) {
    if (name.isEmpty()) {
      return "";
    }
    char last = name.charAt(name.length() - 1);
    return name.substring(0, name.length() - 1) + (char) (last - 1);
  }

  private static String max(String a, String b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
