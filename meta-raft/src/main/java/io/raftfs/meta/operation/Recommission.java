package io.raftfs.meta.operation;

import static io.raftfs.meta.operation.Responses.error;
import static io.raftfs.meta.operation.Responses.ok;

import io.raftfs.meta.namespace.NamespaceException;
import io.raftfs.meta.statemachine.WritableState;
import io.raftfs.proto.ErrorCode;
import io.raftfs.proto.LoggedWrite;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaResponse;

/**
 * {@code recommission}: undoes {@link Decommission}. The node gets new blocks again and its
 * replicas count toward replication again; a node in service stays so (the call is idempotent).
 */
final class Recommission extends ClientWrite {
  Recommission() {
    super(MetaRequest.OpCase.RECOMMISSION, LoggedWrite.OpCase.RECOMMISSION, "recommission");
  }

  @Override
  boolean superuserOnly() {
    return true;
  }

  @Override
  void validate(MetaRequest request, MasterContext master) throws NamespaceException {
    Fields.checkRequiredId("node_id", request.getRecommission().getNodeId());
  }

  @Override
  void copyOperation(MetaRequest request, LoggedWrite.Builder write) {
    write.setRecommission(request.getRecommission());
  }

  @Override
  public MetaResponse apply(LoggedWrite write, WritableState state) {
    String nodeId = write.getRecommission().getNodeId();
    if (!state.isRegistered(nodeId)) {
      return error(ErrorCode.NOT_FOUND, nodeId + ": no such data node");
    }
    state.recommission(nodeId);
    return ok().build();
  }
}
