package io.raftfs.meta.auth;

import io.raftfs.auth.AccessKey;
import io.raftfs.meta.users.Identity;
import io.raftfs.meta.users.UserKey;
import io.raftfs.meta.users.UserTable;
import io.raftfs.proto.UserRecord;
import java.security.GeneralSecurityException;
import java.util.Optional;
import java.util.function.Function;

/**
 * Who holds an access key, for the SigV4 verifier: the key of {@code
 * raftfs.master.auth.root.credentials.file} is the bootstrap superuser's ({@value UserTable#ROOT});
 * every other key is a user's in the replicated table. A user's secret is opened with the masters'
 * user key on each request, from the table this master has applied, so a removed or rotated key is
 * refused the moment the change is applied here.
 */
public final class AccessKeys {
  private final AccessKey root;
  private final Function<String, UserRecord> userByKeyId;
  private final UserKey userKey;

  /**
   * @param userByKeyId the applied table's user holding a key id, or null
   * @param userKey opens the users' secrets; null refuses every key but the root's
   */
  public AccessKeys(AccessKey root, Function<String, UserRecord> userByKeyId, UserKey userKey) {
    this.root = root;
    this.userByKeyId = userByKeyId;
    this.userKey = userKey;
  }

  /** The secret of the key, if a holder is known and its secret opens. */
  public Optional<String> secretOf(String accessKeyId) {
    if (accessKeyId.equals(root.id())) {
      return Optional.of(root.secret());
    }
    UserRecord user = userByKeyId.apply(accessKeyId);
    if (user == null || userKey == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(userKey.open(user.getName(), user.getSealedSecret().toByteArray()));
    } catch (GeneralSecurityException e) {
      // Sealed under another master's user key: the key files differ between masters.
      return Optional.empty();
    }
  }

  /** Who signs with the key, or null if nobody (any more). */
  public Identity identityOf(String accessKeyId) {
    if (accessKeyId.equals(root.id())) {
      return new Identity(UserTable.ROOT, accessKeyId);
    }
    UserRecord user = userByKeyId.apply(accessKeyId);
    return user == null ? null : new Identity(user.getName(), accessKeyId);
  }
}
