package io.raftfs.meta.namespace;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates and splits absolute raftfs paths. A path is {@code /} or {@code /seg/seg…}: no empty,
 * {@code .} or {@code ..} segments, no NUL, at most {@value #MAX_PATH_BYTES} bytes in UTF-8. One
 * trailing slash is accepted and dropped ({@code /a/} is {@code /a}).
 */
public final class PathNames {
  public static final int MAX_PATH_BYTES = 4096;
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
    if (path.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
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
      segments.add(segment);
      start = end + 1;
    }
    return segments.toArray(ROOT);
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
