package io.raftfs.config;

/**
 * Values between two bounds, both included; a missing bound is open.
 *
 * <pre>{@code
 * Range.between(0, 65535)            // "0 to 65535"
 * Range.atLeast(Duration.ofMillis(10)) // "at least 10"
 * }</pre>
 */
public final class Range<T extends Comparable<? super T>> implements Validator<T> {
  private final T min;
  private final T max;

  private Range(T min, T max) {
    this.min = min;
    this.max = max;
  }

  public static <T extends Comparable<? super T>> Range<T> between(T min, T max) {
    if (min.compareTo(max) > 0) {
      throw new IllegalArgumentException("empty range " + min + " to " + max);
    }
    return new Range<>(min, max);
  }

  public static <T extends Comparable<? super T>> Range<T> atLeast(T min) {
    return new Range<>(min, null);
  }

  @Override
  public void check(T value, ConfigType<T> type) {
    if (value.compareTo(min) < 0 || (max != null && value.compareTo(max) > 0)) {
      throw new IllegalArgumentException(
          type.format(value) + " is out of range (" + describe(type) + ")");
    }
  }

  @Override
  public String describe(ConfigType<T> type) {
    return max == null
        ? "at least " + type.format(min)
        : type.format(min) + " to " + type.format(max);
  }
}
