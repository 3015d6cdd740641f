package io.raftfs.chaos;

/**
 * One client operation as the history records it.
 *
 * @param id position in the history (start order)
 * @param client the client (worker) that ran it
 * @param generation the client's namespace generation (a fresh directory after each unknown write)
 * @param type what was asked
 * @param path the path (source of a rename)
 * @param path2 destination of a rename, else null
 * @param sha256 for a put: the content written; for a get: the content read (null if none)
 * @param size bytes written or read
 * @param result how it ended
 * @param detail error message or listing
 * @param startNanos when it began, relative to the run's start
 * @param endNanos when it ended
 */
record Op(
    long id,
    int client,
    int generation,
    Type type,
    String path,
    String path2,
    String sha256,
    long size,
    Result result,
    String detail,
    long startNanos,
    long endNanos) {

  enum Type {
    PUT,
    GET,
    RENAME,
    DELETE,
    LS,
    MKDIR
  }

  enum Result {
    /** Acknowledged: it happened. */
    OK,
    /** Rejected by the masters with a definite answer (no such file, exists...): no effect. */
    FAIL,
    /** Failed or timed out without a definite answer: it may or may not have happened. */
    UNKNOWN
  }

  boolean isWrite() {
    return type == Type.PUT || type == Type.RENAME || type == Type.DELETE || type == Type.MKDIR;
  }

  @Override
  public String toString() {
    return String.format(
        "#%d %8.3fs..%8.3fs c%d g%d %-6s %s%s%s %s%s",
        id,
        startNanos / 1e9,
        endNanos / 1e9,
        client,
        generation,
        type,
        path,
        path2 == null ? "" : " -> " + path2,
        sha256 == null ? "" : " sha=" + sha256.substring(0, 12) + " size=" + size,
        result,
        detail == null || detail.isEmpty() ? "" : " (" + detail + ")");
  }
}
