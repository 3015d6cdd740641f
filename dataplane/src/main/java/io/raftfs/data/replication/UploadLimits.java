package io.raftfs.data.replication;

import java.time.Duration;

/**
 * What a PUT may hold and how fast its body must come: every PUT reserves its whole length until
 * its body ends, so without these a few senders could make a node look full.
 *
 * @param maxBlockBytes longest block a PUT may announce
 * @param paceWindow how often the body's progress is checked
 * @param minBytesPerSecond the rate a body must keep up over every window (0: any byte at all)
 */
public record UploadLimits(long maxBlockBytes, Duration paceWindow, long minBytesPerSecond) {
  /** Bytes a body must bring per window; at least one, so a silent sender always fails. */
  long minBytesPerWindow() {
    return Math.max(1, minBytesPerSecond * paceWindow.toMillis() / 1000);
  }
}
