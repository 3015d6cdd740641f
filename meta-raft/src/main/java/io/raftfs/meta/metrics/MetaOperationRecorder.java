package io.raftfs.meta.metrics;

/** Where the master's request path reports each metadata operation it answered. */
@FunctionalInterface
public interface MetaOperationRecorder {
  MetaOperationRecorder NONE = (op, result, elapsedNanos) -> {};

  /**
   * @param op the request's operation, e.g. {@code mkdir}
   * @param result the response's error code, {@code OK} on success
   * @param elapsedNanos from the request's arrival to its answer
   */
  void operation(String op, String result, long elapsedNanos);
}
