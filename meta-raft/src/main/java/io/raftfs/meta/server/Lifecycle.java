package io.raftfs.meta.server;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts of a process, started in the order they were added and stopped in the reverse order. A
 * start that fails stops the parts already started, so a process that did not start holds no port,
 * thread or file.
 *
 * <pre>{@code
 * Lifecycle parts = new Lifecycle()
 *     .add("raft", raft::start, raft::close)
 *     .add("http", http::start, http::stop);
 * parts.start();   // raft, then http
 * parts.stop();    // http, then raft
 * }</pre>
 */
final class Lifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

  /** Starting or stopping one part. */
  @FunctionalInterface
  interface Step {
    void run() throws IOException;
  }

  private record Part(String name, Step start, Step stop) {}

  private final List<Part> parts = new ArrayList<>();
  private final Deque<Part> running = new ArrayDeque<>();

  Lifecycle add(String name, Step start, Step stop) {
    parts.add(new Part(name, start, stop));
    return this;
  }

  /** Starts every part in order; on a failure stops those started and throws that failure. */
  synchronized void start() throws IOException {
    for (Part part : parts) {
      try {
        part.start().run();
      } catch (IOException | RuntimeException e) {
        LOG.debug("starting {} failed; stopping what started", part.name());
        try {
          stop();
        } catch (IOException | RuntimeException stopFailure) {
          e.addSuppressed(stopFailure);
        }
        throw e;
      }
      running.push(part);
    }
  }

  /**
   * Stops the started parts, last started first. Every part is stopped even if one fails; the first
   * failure is thrown with the others suppressed. Stopping again does nothing.
   */
  synchronized void stop() throws IOException {
    Exception first = null;
    while (!running.isEmpty()) {
      Part part = running.pop();
      try {
        part.stop().run();
      } catch (IOException | RuntimeException e) {
        LOG.warn("stopping {} failed", part.name(), e);
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first instanceof IOException io) {
      throw io;
    }
    if (first instanceof RuntimeException runtime) {
      throw runtime;
    }
  }
}
