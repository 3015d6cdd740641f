package io.raftfs.meta.namespace;

import io.raftfs.protocol.MetaLimits;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates and splits absolute raftfs paths. A path is {@code /} or {@code /seg/seg…}: no empty,
 * {@code .} or {@code ..} segments, no NUL, each name at most {@value #MAX_NAME_BYTES} and the
 * whole path at most {@value #MAX_PATH_BYTES} bytes in UTF-8 (the POSIX {@code NAME_MAX} and {@code
 * PATH_MAX} of Linux). One trailing slash is accepted and dropped ({@code /a/} is {@code /a}).
 *
 * <p>A name a write creates ({@link #splitNew}) also has no control character (U+0001..U+001F,
 * U+007F): such names garble every listing and terminal that shows them. Other paths are only
 * {@link #split}: an entry an older master let in must stay reachable, to be renamed or removed.
 */
public final class PathNames {
  public static final int MAX_PATH_BYTES = 4096;
  public static final int MAX_NAME_BYTES = 255;
  private static final String[] ROOT = new String[0];

  private PathNames() {}

  /** The path's segments; the root has none. */
  public static String[] split(String path) throws NamespaceException {
    if (path == null || path.isEmpty()) {
      throw NamespaceException.invalidPath("''", "empty");
    }
    if (path.charAt(0) != '/') {
      throw NamespaceException.invalidPath(path, "not absolute");
    }
    if (path.indexOf('\0') >= 0) {
      throw NamespaceException.invalidPath(path.replace('\0', '?'), "contains NUL");
    }
    if (utf8Length(path) > MAX_PATH_BYTES) {
      throw NamespaceException.invalidPath(
          path.substring(0, 64) + "…", "longer than " + MAX_PATH_BYTES + " bytes");
    }
    String trimmed =
        path.length() > 1 && path.endsWith("/") && !path.endsWith("//")
            ? path.substring(0, path.length() - 1)
            : path;
    if (trimmed.equals("/")) {
      return ROOT;
    }
    List<String> segments = new ArrayList<>();
    int start = 1;
    while (start <= trimmed.length()) {
      int end = trimmed.indexOf('/', start);
      if (end < 0) {
        end = trimmed.length();
      }
      String segment = trimmed.substring(start, end);
      if (segment.isEmpty()) {
        throw NamespaceException.invalidPath(path, "empty segment");
      }
      if (segment.equals(".") || segment.equals("..")) {
        throw NamespaceException.invalidPath(path, "'" + segment + "' segment");
      }
      if (utf8Length(segment) > MAX_NAME_BYTES) {
        throw NamespaceException.invalidPath(
            segment.substring(0, 64) + "…", "name longer than " + MAX_NAME_BYTES + " bytes");
      }
      segments.add(segment);
      start = end + 1;
    }
    return segments.toArray(ROOT);
  }

  /**
   * The segments of a path a write creates or moves an entry to: {@link #split}, and no control
   * characters. Checked on the leader before the write is logged, never on apply, so a log written
   * by an older master replays as it did there.
   */
  public static String[] splitNew(String path) throws NamespaceException {
    String[] segments = split(path);
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (isControl(c)) {
        // The message goes back to terminals: the character is named, not echoed.
        StringBuilder shown = new StringBuilder(path.length());
        path.chars().forEach(ch -> shown.append(isControl((char) ch) ? '?' : (char) ch));
        throw NamespaceException.invalidPath(
            shown.toString(), String.format("contains control character 0x%02x", (int) c));
      }
    }
    return segments;
  }

  private static boolean isControl(char c) {
    return c < 0x20 || c == 0x7f;
  }

  /**
   * The segments of a path read back from a snapshot: the shape is checked but not the lengths, so
   * a master always loads what an earlier one wrote, even under older, looser limits.
   */
  static String[] splitStored(String path) throws NamespaceException {
    if (path.isEmpty() || path.charAt(0) != '/' || path.equals("/")) {
      throw NamespaceException.invalidPath(path.isEmpty() ? "''" : path, "not a stored entry");
    }
    String[] segments = path.substring(1).split("/", -1);
    for (String segment : segments) {
      if (segment.isEmpty()) {
        throw NamespaceException.invalidPath(path, "empty segment");
      }
    }
    return segments;
  }

  /** The UTF-8 length of {@code text}, counted without encoding it. */
  static int utf8Length(String text) {
    return MetaLimits.utf8Length(text);
  }

  /** The canonical form of a valid path (no trailing slash). */
  public static String normalize(String path) throws NamespaceException {
    String[] segments = split(path);
    return join(segments, segments.length);
  }

  static String join(String[] segments, int count) {
    if (count == 0) {
      return "/";
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < count; i++) {
      out.append('/').append(segments[i]);
    }
    return out.toString();
  }
}
