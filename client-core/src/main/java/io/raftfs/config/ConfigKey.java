package io.raftfs.config;

import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * One setting, declared once: its name, type, default, the values it accepts and a one-line doc.
 * The same declaration reads and checks the setting and writes its row in docs/configuration.md.
 *
 * <pre>{@code
 * public static final ConfigKey<Duration> INTERVAL =
 *     ConfigKey.define(
 *         "raftfs.datanode.heartbeat.interval.ms",
 *         ConfigTypes.DURATION_MS,
 *         Duration.ofSeconds(1),
 *         Range.between(Duration.ofMillis(10), Duration.ofHours(1)),
 *         "Heartbeat period, to every master.");
 * Duration interval = INTERVAL.get(properties); // the default, or the checked setting
 * }</pre>
 *
 * A default must itself be valid: a declaration that breaks its own bounds fails when its class
 * loads.
 */
public final class ConfigKey<T> {
  private final String name;
  private final ConfigType<T> type;
  private final T defaultValue;
  private final String absent;
  private final Validator<T> validator;
  private final String doc;

  private ConfigKey(
      String name,
      ConfigType<T> type,
      T defaultValue,
      String absent,
      Validator<T> validator,
      String doc) {
    this.name = Objects.requireNonNull(name, "name");
    this.type = Objects.requireNonNull(type, "type");
    this.defaultValue = defaultValue;
    this.absent = absent;
    this.validator = validator;
    this.doc = Objects.requireNonNull(doc, "doc");
    if (defaultValue != null && validator != null) {
      validator.check(defaultValue, type);
    }
  }

  /** A key with a default and no bounds beyond its type. */
  public static <T> ConfigKey<T> define(String name, ConfigType<T> type, T value, String doc) {
    return new ConfigKey<>(name, type, Objects.requireNonNull(value, "default"), null, null, doc);
  }

  /** A key with a default and the values it accepts. */
  public static <T> ConfigKey<T> define(
      String name, ConfigType<T> type, T value, Validator<T> validator, String doc) {
    return new ConfigKey<>(
        name, type, Objects.requireNonNull(value, "default"), null, validator, doc);
  }

  /** A key without a default that every process reading it needs. */
  public static <T> ConfigKey<T> required(String name, ConfigType<T> type, String doc) {
    return new ConfigKey<>(name, type, null, null, null, doc);
  }

  /**
   * A key without a default value, read with {@link #find}.
   *
   * @param absent what not setting it means, for the docs (e.g. "the disk's usable space")
   */
  public static <T> ConfigKey<T> optional(
      String name, ConfigType<T> type, Validator<T> validator, String absent, String doc) {
    return new ConfigKey<>(name, type, null, Objects.requireNonNull(absent), validator, doc);
  }

  public String name() {
    return name;
  }

  public ConfigType<T> type() {
    return type;
  }

  /** The default, or null for a required or optional key. */
  public T defaultValue() {
    return defaultValue;
  }

  public String doc() {
    return doc;
  }

  /** The default as the docs show it: a value, {@code (required)}, or what leaving it out means. */
  public String describeDefault() {
    if (defaultValue != null) {
      String text = type.describe(defaultValue);
      return text.isEmpty() ? "(empty)" : text;
    }
    return absent != null ? absent : "(required)";
  }

  /** The values accepted, in words, beyond the type; empty when the type says it all. */
  public String describeValid() {
    return validator == null ? "" : validator.describe(type);
  }

  /**
   * The checked value of this key in {@code properties}, else its default.
   *
   * @throws ConfigException naming the key when the value is bad, or missing without a default
   */
  public T get(Properties properties) {
    return find(properties)
        .or(() -> Optional.ofNullable(defaultValue))
        .orElseThrow(() -> new ConfigException(name + " is required"));
  }

  /** The checked value of this key in {@code properties}, if set (a blank value is not). */
  public Optional<T> find(Properties properties) {
    String text = properties.getProperty(name);
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(parse(text.strip()));
  }

  /** Parses and checks a value of this key; the failure names the key. */
  public T parse(String text) {
    try {
      T value = type.parse(text);
      if (validator != null) {
        validator.check(value, type);
      }
      return value;
    } catch (ConfigException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(name + ": " + e.getMessage());
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
