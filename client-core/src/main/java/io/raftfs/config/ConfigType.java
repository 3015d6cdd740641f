package io.raftfs.config;

/**
 * How the text of a setting becomes a typed value and back. {@link ConfigTypes} has the types
 * raftfs uses; a module may declare its own (a master's peer list).
 *
 * @param <T> the value's Java type
 */
public interface ConfigType<T> {
  /** What the documentation calls it, e.g. {@code duration (ms)}. */
  String name();

  /**
   * Parses a trimmed, non-empty text.
   *
   * @throws IllegalArgumentException whose message says what is wrong with the text, without the
   *     key (the caller adds it)
   */
  T parse(String text);

  /** The value as it would be written in a config file; {@link #parse} reads it back. */
  String format(T value);

  /** The value for people: {@link #format}, with a readable unit where that helps. */
  default String describe(T value) {
    return format(value);
  }
}
