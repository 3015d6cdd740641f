package io.raftfs.meta.users;

/**
 * Who sent a request, as the master that authenticated it knows: the user and the access key that
 * signed it. Travels into the log with each write ({@code LoggedWrite.caller}, {@code
 * access_key_id}), so every replica decides on the same identity.
 *
 * @param user the user's name, "" when unsigned (see {@link #UNSIGNED})
 * @param accessKeyId the key that signed, "" when unsigned
 */
public record Identity(String user, String accessKeyId) {
  /**
   * No signature: a cluster without auth, or a data node's own report. Counts as the superuser: a
   * master serves it only where it serves everyone (auth off) or only node operations.
   */
  public static final Identity UNSIGNED = new Identity("", "");
}
