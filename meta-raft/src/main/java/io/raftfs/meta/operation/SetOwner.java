package io.raftfs.meta.operation;

import static io.raftfs.meta.operation.Responses.ok;

import io.raftfs.meta.namespace.NamespaceException;
import io.raftfs.meta.namespace.PathNames;
import io.raftfs.meta.namespace.Permissions;
import io.raftfs.meta.statemachine.WritableState;
import io.raftfs.meta.users.UserNames;
import io.raftfs.proto.LoggedWrite;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaResponse;
import io.raftfs.proto.SetOwnerRequest;

/**
 * {@code set_owner} (chown): an entry's owner (by a superuser) and group (by its owner, to one of
 * its own groups). The names need not be users yet, as in HDFS, but must be valid user names: they
 * print in {@code ls -l}.
 */
final class SetOwner extends ClientWrite {
  SetOwner() {
    super(MetaRequest.OpCase.SET_OWNER, LoggedWrite.OpCase.SET_OWNER, "set_owner");
  }

  @Override
  void validate(MetaRequest request, MasterContext master) throws NamespaceException {
    SetOwnerRequest chown = request.getSetOwner();
    PathNames.split(chown.getPath());
    if (chown.getOwner().isEmpty() && chown.getGroup().isEmpty()) {
      throw NamespaceException.invalidArgument(
          chown.getPath(), "neither an owner nor a group to set");
    }
    if (!chown.getOwner().isEmpty()) {
      UserNames.check("owner", chown.getOwner());
    }
    if (!chown.getGroup().isEmpty()) {
      UserNames.check("group", chown.getGroup());
    }
  }

  @Override
  void checkAccess(LoggedWrite write, Permissions permissions) throws NamespaceException {
    SetOwnerRequest chown = write.getSetOwner();
    permissions.checkSetOwner(chown.getPath(), chown.getOwner(), chown.getGroup());
  }

  @Override
  void copyOperation(MetaRequest request, LoggedWrite.Builder write) {
    write.setSetOwner(request.getSetOwner());
  }

  @Override
  public MetaResponse apply(LoggedWrite write, WritableState state) throws NamespaceException {
    SetOwnerRequest chown = write.getSetOwner();
    return ok().setStatus(
            state.namespace().setOwner(chown.getPath(), chown.getOwner(), chown.getGroup()))
        .build();
  }
}
