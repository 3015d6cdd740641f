package io.raftfs.config;

/**
 * A setting is missing, malformed, out of bounds or unknown. The message is one line that names the
 * key, fit to be shown to an operator as it is.
 */
public final class ConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
