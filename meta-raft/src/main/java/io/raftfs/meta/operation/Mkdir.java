package io.raftfs.meta.operation;

import static io.raftfs.meta.operation.Responses.ok;

import io.raftfs.meta.namespace.Namespace;
import io.raftfs.meta.namespace.NamespaceException;
import io.raftfs.meta.namespace.PathNames;
import io.raftfs.meta.namespace.Permissions;
import io.raftfs.meta.statemachine.WritableState;
import io.raftfs.proto.LoggedWrite;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaResponse;
import io.raftfs.proto.MkdirRequest;

/** {@code mkdir}: a directory (and, with {@code parents}, its missing ancestors). */
final class Mkdir extends ClientWrite {
  Mkdir() {
    super(MetaRequest.OpCase.MKDIR, LoggedWrite.OpCase.MKDIR, "mkdir");
  }

  @Override
  void validate(MetaRequest request, MasterContext master) throws NamespaceException {
    MkdirRequest mkdir = request.getMkdir();
    PathNames.splitNew(mkdir.getPath());
    if (mkdir.hasMode()) {
      Fields.checkMode(mkdir.getPath(), mkdir.getMode());
    }
  }

  @Override
  void checkAccess(LoggedWrite write, Permissions permissions) throws NamespaceException {
    permissions.checkMkdir(write.getMkdir().getPath());
  }

  @Override
  void copyOperation(MetaRequest request, LoggedWrite.Builder write) {
    write.setMkdir(request.getMkdir());
  }

  @Override
  public MetaResponse apply(LoggedWrite write, WritableState state) throws NamespaceException {
    MkdirRequest mkdir = write.getMkdir();
    int mode = mkdir.hasMode() ? mkdir.getMode() : Namespace.DEFAULT_DIRECTORY_MODE;
    String owner = state.accessor(write.getCaller()).user();
    return ok().setStatus(
            state
                .namespace()
                .mkdir(mkdir.getPath(), mkdir.getParents(), owner, mode, state.nowMillis()))
        .build();
  }
}
