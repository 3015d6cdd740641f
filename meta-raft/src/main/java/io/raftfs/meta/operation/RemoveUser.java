package io.raftfs.meta.operation;

import static io.raftfs.meta.operation.Responses.error;
import static io.raftfs.meta.operation.Responses.ok;

import io.raftfs.meta.namespace.NamespaceException;
import io.raftfs.meta.statemachine.WritableState;
import io.raftfs.meta.users.UserNames;
import io.raftfs.meta.users.UserTable;
import io.raftfs.proto.ErrorCode;
import io.raftfs.proto.LoggedWrite;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaResponse;

/**
 * {@code remove_user} (superuser only): the user and its access key go; every master refuses the
 * key (401) from the moment it applied the removal. Files keep the name as their owner.
 */
final class RemoveUser extends ClientWrite {
  RemoveUser() {
    super(MetaRequest.OpCase.REMOVE_USER, LoggedWrite.OpCase.REMOVE_USER, "remove_user");
  }

  @Override
  boolean superuserOnly() {
    return true;
  }

  @Override
  void validate(MetaRequest request, MasterContext master) throws NamespaceException {
    UserNames.check("name", request.getRemoveUser().getName());
  }

  @Override
  void copyOperation(MetaRequest request, LoggedWrite.Builder write) {
    write.setRemoveUser(request.getRemoveUser());
  }

  @Override
  public MetaResponse apply(LoggedWrite write, WritableState state) {
    String name = write.getRemoveUser().getName();
    if (name.equals(UserTable.ROOT)) {
      return error(
          ErrorCode.INVALID_ARGUMENT,
          name
              + ": the bootstrap superuser; its key is in raftfs.master.auth.root.credentials.file");
    }
    if (!state.users().remove(name)) {
      return error(ErrorCode.NOT_FOUND, name + ": no such user");
    }
    return ok().build();
  }
}
