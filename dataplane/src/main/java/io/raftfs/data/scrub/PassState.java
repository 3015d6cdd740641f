package io.raftfs.data.scrub;

import io.raftfs.data.store.BlockId;
import io.raftfs.data.store.Durability;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;

/**
 * Where the scrubber's current pass is, kept in the data directory so that a restarted node goes on
 * with the pass (or goes on waiting for the next) instead of reading everything again, as HDFS's
 * volume scanner keeps its cursor. A small text file, replaced atomically:
 *
 * <pre>
 * started=1765161600000     when the pass began (epoch ms)
 * cursor=4611686018427387904  the last block id done, in id order; absent before the first
 * finished=false            true once every block of the pass was checked
 * </pre>
 *
 * @param startedMillis when the pass began
 * @param cursor the last block (unsigned id order) checked or skipped; empty before the first
 * @param finished every block the pass covers was checked; the next is due a period after start
 */
record PassState(long startedMillis, OptionalLong cursor, boolean finished) {
  static PassState begin(long nowMillis) {
    return new PassState(nowMillis, OptionalLong.empty(), false);
  }

  PassState advance(long blockId) {
    return new PassState(startedMillis, OptionalLong.of(blockId), finished);
  }

  PassState finish() {
    return new PassState(startedMillis, cursor, true);
  }

  /**
   * The state in {@code file}; empty when there is none.
   *
   * @throws IOException if it cannot be read or does not parse (the caller starts a new pass)
   */
  static Optional<PassState> load(Path file) throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
    try {
      String started = p.getProperty("started");
      String finished = p.getProperty("finished");
      if (started == null || finished == null) {
        throw new IOException(file + ": 'started' or 'finished' is missing");
      }
      String cursor = p.getProperty("cursor");
      return Optional.of(
          new PassState(
              Long.parseLong(started),
              cursor == null ? OptionalLong.empty() : OptionalLong.of(BlockId.parse(cursor)),
              Boolean.parseBoolean(finished)));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  /** Replaces {@code file} with this state: a crash leaves the old state or this one. */
  void save(Path file) throws IOException {
    StringBuilder text =
        new StringBuilder("# the scrubber's pass, written by the data node\n")
            .append("started=")
            .append(startedMillis)
            .append('\n');
    cursor.ifPresent(id -> text.append("cursor=").append(BlockId.format(id)).append('\n'));
    text.append("finished=").append(finished).append('\n');
    Durability.writeAtomically(
        file, ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
  }
}
