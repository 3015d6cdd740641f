package io.raftfs.meta.operation;

import static io.raftfs.meta.operation.Responses.error;

import io.raftfs.meta.namespace.NamespaceException;
import io.raftfs.meta.statemachine.WritableState;
import io.raftfs.meta.statemachine.WriteApplier;
import io.raftfs.proto.ErrorCode;
import io.raftfs.proto.LoggedWrite;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaResponse;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The registry: which class handles each protobuf op case, of a client's request and of a logged
 * write. The state machine applies writes through it; the master answers requests through it.
 */
public final class Operations implements WriteApplier {
  /** Every operation a master knows. A new one is its class, a line here and its .proto field. */
  public static final Operations ALL =
      new Operations(
          List.of(
              new Mkdir(),
              new CommitFile(),
              new Rename(),
              new Delete(),
              new RegisterDataNode(),
              new Decommission(),
              new Recommission(),
              new ReserveBlockIds(),
              new RetireBlocks(),
              new RollBlockKey(),
              new AddUser(),
              new RemoveUser(),
              new RotateUserKey(),
              new SetPermission(),
              new SetOwner(),
              new Concat(),
              new ListUsers(),
              new DeriveSigningKey(),
              new ReportGateway(),
              new Stat(),
              new ListDirectory(),
              new GetBlockLocations(),
              new AllocateBlocks(),
              new Fsck(),
              new GetClusterStatus(),
              new ReportBadReplica()));

  private final List<MetaOperation> operations;
  private final Map<MetaRequest.OpCase, ClientOperation> byRequest =
      new EnumMap<>(MetaRequest.OpCase.class);
  private final Map<LoggedWrite.OpCase, LoggedOperation> byWrite =
      new EnumMap<>(LoggedWrite.OpCase.class);

  Operations(List<MetaOperation> operations) {
    this.operations = operations;
    for (MetaOperation operation : operations) {
      if (operation instanceof ClientOperation client
          && byRequest.putIfAbsent(client.requestCase(), client) != null) {
        throw new IllegalArgumentException("two operations for " + client.requestCase());
      }
      if (operation instanceof LoggedOperation logged
          && byWrite.putIfAbsent(logged.writeCase(), logged) != null) {
        throw new IllegalArgumentException("two operations for " + logged.writeCase());
      }
    }
  }

  /** The operation that answers requests of this case, or null (OP_NOT_SET, unknown). */
  public ClientOperation forRequest(MetaRequest.OpCase requestCase) {
    return byRequest.get(requestCase);
  }

  /**
   * Applies a logged write by its operation; an entry naming none is refused on every replica, and
   * so is a superuser's operation logged for another caller (the leader checked against the state
   * it had applied when the write came; every replica checks against the state before the write).
   */
  @Override
  public MetaResponse apply(LoggedWrite write, WritableState state) throws NamespaceException {
    LoggedOperation operation = byWrite.get(write.getOpCase());
    if (operation == null) {
      return error(ErrorCode.INVALID_ARGUMENT, "the log entry names no write");
    }
    if (operation instanceof ClientWrite client
        && client.superuserOnly()
        && !state.isSuperuser(write.getCaller())) {
      throw NamespaceException.permissionDenied(client.metricName());
    }
    if (operation instanceof ClientWrite client) {
      client.checkAccess(write, state.namespace().permissions(state.accessor(write.getCaller())));
    }
    return operation.apply(write, state);
  }

  List<MetaOperation> all() {
    return operations;
  }
}
