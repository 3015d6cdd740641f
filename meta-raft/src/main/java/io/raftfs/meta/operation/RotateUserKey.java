package io.raftfs.meta.operation;

import static io.raftfs.meta.operation.Responses.error;
import static io.raftfs.meta.operation.Responses.ok;

import com.google.protobuf.ByteString;
import io.raftfs.auth.AccessKey;
import io.raftfs.meta.namespace.NamespaceException;
import io.raftfs.meta.statemachine.WritableState;
import io.raftfs.meta.users.Identity;
import io.raftfs.meta.users.UserNames;
import io.raftfs.meta.users.UserTable;
import io.raftfs.proto.ErrorCode;
import io.raftfs.proto.LoggedWrite;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaResponse;
import io.raftfs.proto.UserRecord;
import java.util.concurrent.CompletableFuture;

/**
 * {@code rotate_user_key} (superuser only): a new secret for the user's access key, chosen and
 * sealed by the leader like {@link AddUser}'s. The key id stays; the old secret is refused on every
 * master from the moment it applied the rotation. The answer carries the new secret, once.
 */
final class RotateUserKey extends ClientWrite {
  RotateUserKey() {
    super(
        MetaRequest.OpCase.ROTATE_USER_KEY, LoggedWrite.OpCase.ROTATE_USER_KEY, "rotate_user_key");
  }

  @Override
  boolean superuserOnly() {
    return true;
  }

  @Override
  void validate(MetaRequest request, MasterContext master) throws NamespaceException {
    UserNames.check("name", request.getRotateUserKey().getName());
  }

  @Override
  CompletableFuture<MetaResponse> submit(
      MetaRequest request, MasterContext master, Identity identity) throws NamespaceException {
    String name = request.getRotateUserKey().getName();
    String secret = AccessKey.generate().secret();
    UserRecord sealed =
        UserRecord.newBuilder()
            .setName(name)
            .setSealedSecret(ByteString.copyFrom(master.userKey(name).seal(name, secret)))
            .build();
    LoggedWrite write = logged(request, identity).toBuilder().setRotateUserKey(sealed).build();
    return master.log(write).thenApply(master::revealSecret);
  }

  /** Only its log form ({@link #submit}) holds the new secret, which the leader chose. */
  @Override
  void copyOperation(MetaRequest request, LoggedWrite.Builder write) {}

  /** Keeps the user's key id and groups; only the sealed secret changes. */
  @Override
  public MetaResponse apply(LoggedWrite write, WritableState state) {
    UserRecord rotated = write.getRotateUserKey();
    UserRecord user = state.users().byName(rotated.getName());
    if (user == null) {
      return error(ErrorCode.NOT_FOUND, rotated.getName() + ": no such user");
    }
    UserRecord updated = user.toBuilder().setSealedSecret(rotated.getSealedSecret()).build();
    state.users().put(updated);
    return ok().setUser(UserTable.info(updated).setSealedSecret(updated.getSealedSecret())).build();
  }
}
