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
 * {@code decommission}: drains a registered data node; its replicas stop counting toward
 * replication and are copied elsewhere.
 */
final class Decommission extends ClientWrite {
  Decommission() {
    super(MetaRequest.OpCase.DECOMMISSION, LoggedWrite.OpCase.DECOMMISSION, "decommission");
  }

  @Override
  boolean superuserOnly() {
    return true;
  }

  @Override
  void validate(MetaRequest request, MasterContext master) throws NamespaceException {
    Fields.checkRequiredId("node_id", request.getDecommission().getNodeId());
  }

  @Override
  void copyOperation(MetaRequest request, LoggedWrite.Builder write) {
    write.setDecommission(request.getDecommission());
  }

  @Override
  public MetaResponse apply(LoggedWrite write, WritableState state) {
    String nodeId = write.getDecommission().getNodeId();
    if (!state.isRegistered(nodeId)) {
      return error(ErrorCode.NOT_FOUND, nodeId + ": no such data node");
    }
    state.decommission(nodeId);
    return ok().build();
  }
}
