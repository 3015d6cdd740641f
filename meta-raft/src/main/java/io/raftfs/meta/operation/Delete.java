package io.raftfs.meta.operation;

import static io.raftfs.meta.operation.Responses.ok;

import io.raftfs.meta.namespace.NamespaceException;
import io.raftfs.meta.namespace.PathNames;
import io.raftfs.meta.namespace.Permissions;
import io.raftfs.meta.statemachine.WritableState;
import io.raftfs.proto.DeleteRequest;
import io.raftfs.proto.LoggedWrite;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaResponse;

/** {@code delete}: a file, or a directory (with {@code recursive}, and everything below it). */
final class Delete extends ClientWrite {
  Delete() {
    super(MetaRequest.OpCase.DELETE, LoggedWrite.OpCase.DELETE, "delete");
  }

  @Override
  void validate(MetaRequest request, MasterContext master) throws NamespaceException {
    PathNames.split(request.getDelete().getPath());
  }

  @Override
  void checkAccess(LoggedWrite write, Permissions permissions) throws NamespaceException {
    permissions.checkDelete(write.getDelete().getPath(), write.getDelete().getRecursive());
  }

  @Override
  void copyOperation(MetaRequest request, LoggedWrite.Builder write) {
    write.setDelete(request.getDelete());
  }

  @Override
  public MetaResponse apply(LoggedWrite write, WritableState state) throws NamespaceException {
    DeleteRequest delete = write.getDelete();
    state.released(
        state.namespace().delete(delete.getPath(), delete.getRecursive(), state.nowMillis()));
    return ok().build();
  }
}
