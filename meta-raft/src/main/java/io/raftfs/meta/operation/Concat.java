package io.raftfs.meta.operation;

import static io.raftfs.meta.operation.Responses.ok;

import io.raftfs.meta.namespace.Accessor;
import io.raftfs.meta.namespace.Namespace;
import io.raftfs.meta.namespace.NamespaceException;
import io.raftfs.meta.namespace.PathNames;
import io.raftfs.meta.namespace.Permissions;
import io.raftfs.meta.statemachine.WritableState;
import io.raftfs.proto.ConcatRequest;
import io.raftfs.proto.LoggedWrite;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaResponse;
import io.raftfs.protocol.MetaLimits;

/**
 * {@code concat}: a file made of other files' blocks in order, which disappear, in one log entry
 * and without moving a byte. The S3 gateway completes a multipart upload so: the parts are files,
 * the object is their concatenation, and the upload's directory goes with them ({@code
 * remove_parent}). The leader refuses what the state refuses before the log; every replica checks
 * again on apply.
 */
final class Concat extends ClientWrite {
  Concat() {
    super(MetaRequest.OpCase.CONCAT, LoggedWrite.OpCase.CONCAT, "concat");
  }

  @Override
  void validate(MetaRequest request, MasterContext master) throws NamespaceException {
    ConcatRequest concat = request.getConcat();
    String target = concat.getTarget();
    PathNames.splitNew(target);
    if (concat.getSourcesCount() < 1 || concat.getSourcesCount() > MetaLimits.MAX_CONCAT_SOURCES) {
      throw NamespaceException.invalidArgument(
          target, "a concat takes 1.." + MetaLimits.MAX_CONCAT_SOURCES + " sources");
    }
    for (String source : concat.getSourcesList()) {
      PathNames.split(source);
    }
    CommitFile.checkAttributes(target, concat.getAttributesMap());
    if (concat.hasMode()) {
      Fields.checkMode(target, concat.getMode());
    }
  }

  /** The permissions, then everything {@link Namespace#concat} would refuse. */
  @Override
  void checkState(LoggedWrite write, Namespace namespace, Accessor caller)
      throws NamespaceException {
    checkAccess(write, namespace.permissions(caller));
    namespace.checkConcatenable(write.getConcat());
  }

  @Override
  void checkAccess(LoggedWrite write, Permissions permissions) throws NamespaceException {
    ConcatRequest concat = write.getConcat();
    permissions.checkConcat(concat.getTarget(), concat.getSourcesList(), concat.getRemoveParent());
  }

  @Override
  void copyOperation(MetaRequest request, LoggedWrite.Builder write) {
    write.setConcat(request.getConcat());
  }

  @Override
  public MetaResponse apply(LoggedWrite write, WritableState state) throws NamespaceException {
    ConcatRequest concat = write.getConcat();
    CommitFile.checkAttributes(concat.getTarget(), concat.getAttributesMap());
    Namespace.CommitResult made =
        state
            .namespace()
            .concat(concat, state.accessor(write.getCaller()).user(), state.nowMillis());
    if (!made.releasedBlockIds().isEmpty()) {
      state.released(made.releasedBlockIds());
    }
    return ok().setStatus(made.status()).build();
  }
}
