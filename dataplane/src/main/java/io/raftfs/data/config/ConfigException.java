package io.raftfs.data.config;

/** A data node setting is missing or invalid; the message names the key and is fit for a user. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
