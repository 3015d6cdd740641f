package io.raftfs.meta.operation;

import static io.raftfs.meta.operation.Responses.ok;

import io.raftfs.meta.namespace.NamespaceException;
import io.raftfs.meta.namespace.PathNames;
import io.raftfs.meta.namespace.Permissions;
import io.raftfs.meta.statemachine.WritableState;
import io.raftfs.proto.LoggedWrite;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaResponse;
import io.raftfs.proto.RenameRequest;

/** {@code rename}: moves a file or a directory with everything below it. */
final class Rename extends ClientWrite {
  Rename() {
    super(MetaRequest.OpCase.RENAME, LoggedWrite.OpCase.RENAME, "rename");
  }

  @Override
  void validate(MetaRequest request, MasterContext master) throws NamespaceException {
    PathNames.split(request.getRename().getSource());
    PathNames.splitNew(request.getRename().getDestination());
  }

  @Override
  void checkAccess(LoggedWrite write, Permissions permissions) throws NamespaceException {
    permissions.checkRename(write.getRename().getSource(), write.getRename().getDestination());
  }

  @Override
  void copyOperation(MetaRequest request, LoggedWrite.Builder write) {
    write.setRename(request.getRename());
  }

  @Override
  public MetaResponse apply(LoggedWrite write, WritableState state) throws NamespaceException {
    RenameRequest rename = write.getRename();
    state.namespace().rename(rename.getSource(), rename.getDestination(), state.nowMillis());
    return ok().build();
  }
}
