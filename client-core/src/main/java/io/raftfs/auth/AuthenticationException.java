package io.raftfs.auth;

/** A request whose signature does not prove who sent it; the message is the one-line reason. */
public final class AuthenticationException extends Exception {
  private final boolean dependsOnKeys;

  public AuthenticationException(String reason) {
    this(reason, false);
  }

  /**
   * @param dependsOnKeys true if the verifier's keys decided it (an unknown key, a signature that
   *     does not match the secret it knows): a verifier whose keys are older may be wrong
   */
  public AuthenticationException(String reason, boolean dependsOnKeys) {
    super(reason);
    this.dependsOnKeys = dependsOnKeys;
  }

  /**
   * True if the refusal rests on which keys and secrets the verifier knows, rather than on the
   * request alone (its form, its time): a master that has not applied the newest users yet should
   * let the leader decide.
   */
  public boolean dependsOnKeys() {
    return dependsOnKeys;
  }
}
