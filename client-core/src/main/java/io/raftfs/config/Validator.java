package io.raftfs.config;

/**
 * What values a key accepts beyond its type. It prints itself: {@link #describe} is the "valid
 * values" column of docs/configuration.md.
 */
public interface Validator<T> {
  /**
   * @throws IllegalArgumentException whose message says why {@code value} is not accepted, without
   *     the key
   */
  void check(T value, ConfigType<T> type);

  /** The accepted values in a few words, e.g. {@code 1 to 65535}. */
  String describe(ConfigType<T> type);
}
