package io.raftfs.cli;

/** A command line that parses but cannot be carried out, e.g. no masters configured. */
final class UsageException extends RuntimeException {
  UsageException(String message) {
    super(message);
  }
}
