package io.raftfs.meta.namespace;

import io.raftfs.proto.ErrorCode;

/** An operation was refused; nothing changed. The message names the path the user gave. */
public final class NamespaceException extends Exception {
  private final ErrorCode code;

  NamespaceException(ErrorCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  static NamespaceException notFound(String path) {
    return new NamespaceException(ErrorCode.NOT_FOUND, path + ": No such file or directory");
  }

  static NamespaceException exists(String path) {
    return new NamespaceException(ErrorCode.ALREADY_EXISTS, path + ": File exists");
  }

  static NamespaceException notADirectory(String path) {
    return new NamespaceException(ErrorCode.NOT_A_DIRECTORY, path + ": Not a directory");
  }

  static NamespaceException isADirectory(String path) {
    return new NamespaceException(ErrorCode.IS_A_DIRECTORY, path + ": Is a directory");
  }

  static NamespaceException notEmpty(String path) {
    return new NamespaceException(ErrorCode.DIRECTORY_NOT_EMPTY, path + ": Directory not empty");
  }

  static NamespaceException invalidPath(String path, String why) {
    return new NamespaceException(ErrorCode.INVALID_PATH, path + ": Invalid path (" + why + ")");
  }

  public static NamespaceException invalidArgument(String path, String why) {
    return new NamespaceException(ErrorCode.INVALID_ARGUMENT, path + ": " + why);
  }

  /**
   * The caller may not: an operation for the superuser group only, or a permission bit. {@code
   * subject} is the path, or the operation's name.
   */
  public static NamespaceException permissionDenied(String subject) {
    return new NamespaceException(ErrorCode.PERMISSION_DENIED, subject + ": Permission denied");
  }

  static NamespaceException invalidMove(String source, String destination) {
    return new NamespaceException(
        ErrorCode.INVALID_MOVE,
        source + ": Cannot move a directory into itself (" + destination + ")");
  }
}
