package io.raftfs.meta.operation;

import static io.raftfs.meta.operation.Responses.ok;

import io.raftfs.meta.namespace.NamespaceException;
import io.raftfs.meta.statemachine.WritableState;
import io.raftfs.proto.LoggedWrite;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaResponse;
import io.raftfs.proto.RegisterDataNodeRequest;

/** {@code register_data_node}: a data node joins the cluster, or updates its address. */
final class RegisterDataNode extends ClientWrite {
  RegisterDataNode() {
    super(
        MetaRequest.OpCase.REGISTER_DATA_NODE,
        LoggedWrite.OpCase.REGISTER_DATA_NODE,
        "register_data_node");
  }

  /**
   * Nodes register unsigned (from their host, checked) or with the superuser's key; no user may.
   */
  @Override
  boolean superuserOnly() {
    return true;
  }

  /** Both strings live in every replica's registry and snapshot, and go to every client. */
  @Override
  void validate(MetaRequest request, MasterContext master) throws NamespaceException {
    RegisterDataNodeRequest node = request.getRegisterDataNode();
    Fields.checkRequiredId("node_id", node.getNodeId());
    Fields.checkHttpAddress("http_address", node.getHttpAddress());
  }

  @Override
  void copyOperation(MetaRequest request, LoggedWrite.Builder write) {
    write.setRegisterDataNode(request.getRegisterDataNode());
  }

  @Override
  public MetaResponse apply(LoggedWrite write, WritableState state) {
    state.register(write.getRegisterDataNode());
    return ok().build();
  }
}
