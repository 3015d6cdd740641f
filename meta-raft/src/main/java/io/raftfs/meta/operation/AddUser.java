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
import io.raftfs.proto.AddUserRequest;
import io.raftfs.proto.ErrorCode;
import io.raftfs.proto.LoggedWrite;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaResponse;
import io.raftfs.proto.UserRecord;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code add_user} (superuser only): a user with a new access key. The leader chooses the key (the
 * secret from {@code SecureRandom}) and logs it sealed under the masters' user key; the answer
 * carries the secret, the only time it is shown (docs/security.md, "Users").
 */
final class AddUser extends ClientWrite {
  AddUser() {
    super(MetaRequest.OpCase.ADD_USER, LoggedWrite.OpCase.ADD_USER, "add_user");
  }

  @Override
  boolean superuserOnly() {
    return true;
  }

  @Override
  void validate(MetaRequest request, MasterContext master) throws NamespaceException {
    AddUserRequest add = request.getAddUser();
    UserNames.check("name", add.getName());
    UserNames.checkGroups(add.getGroupsList());
  }

  @Override
  CompletableFuture<MetaResponse> submit(
      MetaRequest request, MasterContext master, Identity identity) throws NamespaceException {
    AddUserRequest add = request.getAddUser();
    AccessKey key = AccessKey.generate();
    byte[] sealed = master.userKey(add.getName()).seal(add.getName(), key.secret());
    // Its own name is implied; the rest once each, in the order given.
    List<String> groups =
        new LinkedHashSet<>(add.getGroupsList())
            .stream().filter(group -> !group.equals(add.getName())).toList();
    UserRecord user =
        UserRecord.newBuilder()
            .setName(add.getName())
            .setAccessKeyId(key.id())
            .setSealedSecret(ByteString.copyFrom(sealed))
            .addAllGroups(groups)
            .build();
    LoggedWrite write = logged(request, identity).toBuilder().setAddUser(user).build();
    return master.log(write).thenApply(master::revealSecret);
  }

  /** Only its log form ({@link #submit}) says what the user is: the leader chose its key. */
  @Override
  void copyOperation(MetaRequest request, LoggedWrite.Builder write) {}

  @Override
  public MetaResponse apply(LoggedWrite write, WritableState state) throws NamespaceException {
    UserRecord user = write.getAddUser();
    String name = user.getName();
    UserNames.check("name", name);
    UserNames.checkGroups(user.getGroupsList());
    UserTable users = state.users();
    if (name.equals(UserTable.ROOT) || name.equals(state.superuserGroup())) {
      return error(ErrorCode.ALREADY_EXISTS, name + ": reserved (the superuser and its group)");
    }
    if (users.byName(name) != null) {
      return error(ErrorCode.ALREADY_EXISTS, name + ": user exists");
    }
    if (!AccessKey.validId(user.getAccessKeyId()) || users.byKeyId(user.getAccessKeyId()) != null) {
      return error(ErrorCode.INVALID_ARGUMENT, name + ": access key id unusable or taken");
    }
    if (users.size() >= UserTable.MAX_USERS) {
      return error(
          ErrorCode.INVALID_ARGUMENT,
          name + ": the cluster has " + UserTable.MAX_USERS + " users, the most it keeps");
    }
    users.put(user);
    return ok().setUser(UserTable.info(user).setSealedSecret(user.getSealedSecret())).build();
  }
}
