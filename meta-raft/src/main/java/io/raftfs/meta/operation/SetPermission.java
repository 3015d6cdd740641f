package io.raftfs.meta.operation;

import static io.raftfs.meta.operation.Responses.ok;

import io.raftfs.meta.namespace.NamespaceException;
import io.raftfs.meta.namespace.PathNames;
import io.raftfs.meta.namespace.Permissions;
import io.raftfs.meta.statemachine.WritableState;
import io.raftfs.proto.LoggedWrite;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaResponse;
import io.raftfs.proto.SetPermissionRequest;

/** {@code set_permission} (chmod): an entry's mode bits, by its owner or a superuser. */
final class SetPermission extends ClientWrite {
  SetPermission() {
    super(MetaRequest.OpCase.SET_PERMISSION, LoggedWrite.OpCase.SET_PERMISSION, "set_permission");
  }

  @Override
  void validate(MetaRequest request, MasterContext master) throws NamespaceException {
    SetPermissionRequest chmod = request.getSetPermission();
    PathNames.split(chmod.getPath());
    Fields.checkMode(chmod.getPath(), chmod.getPermission());
  }

  @Override
  void checkAccess(LoggedWrite write, Permissions permissions) throws NamespaceException {
    permissions.checkSetPermission(write.getSetPermission().getPath());
  }

  @Override
  void copyOperation(MetaRequest request, LoggedWrite.Builder write) {
    write.setSetPermission(request.getSetPermission());
  }

  @Override
  public MetaResponse apply(LoggedWrite write, WritableState state) throws NamespaceException {
    SetPermissionRequest chmod = write.getSetPermission();
    return ok().setStatus(state.namespace().setPermission(chmod.getPath(), chmod.getPermission()))
        .build();
  }
}
