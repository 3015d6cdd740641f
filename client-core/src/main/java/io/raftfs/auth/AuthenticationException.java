package io.raftfs.auth;

/** A request whose signature does not prove who sent it; the message is the one-line reason. */
public final class AuthenticationException extends Exception {
  public AuthenticationException(String reason) {
    super(reason);
  }
}
