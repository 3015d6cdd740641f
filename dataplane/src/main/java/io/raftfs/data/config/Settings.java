package io.raftfs.data.config;

import java.util.Properties;

/**
 * Typed, validated reads of string properties. Every failure names the key, so an operator sees
 * which line of the config file is wrong.
 */
final class Settings {
  private final Properties properties;

  Settings(Properties properties) {
    this.properties = properties;
  }

  String string(String key, String defaultValue) {
    String value = properties.getProperty(key);
    return value == null ? defaultValue : value.trim();
  }

  String required(String key) {
    String value = string(key, null);
    if (value == null || value.isEmpty()) {
      throw new ConfigException(key + " is required");
    }
    return value;
  }

  long longValue(String key, long defaultValue, long min, long max) {
    String value = string(key, null);
    if (value == null || value.isEmpty()) {
      return defaultValue;
    }
    long parsed;
    try {
      parsed = Long.parseLong(value.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new ConfigException(key + " must be an integer, got '" + value + "'");
    }
    if (parsed < min || parsed > max) {
      throw new ConfigException(
          key + " must be between " + min + " and " + max + ", got " + parsed);
    }
    return parsed;
  }
}
