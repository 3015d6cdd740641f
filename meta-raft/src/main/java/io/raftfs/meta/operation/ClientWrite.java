package io.raftfs.meta.operation;

import io.raftfs.meta.namespace.NamespaceException;
import io.raftfs.proto.LoggedWrite;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaResponse;
import java.util.concurrent.CompletableFuture;

/**
 * A client's write: checked on the leader ({@link #validate}), copied into the log form with its
 * dedup identity ({@link #logged}), batched into the log, and applied on every replica.
 */
abstract class ClientWrite implements ClientOperation, LoggedOperation {
  private final MetaRequest.OpCase requestCase;
  private final LoggedWrite.OpCase writeCase;
  private final String metricName;

  ClientWrite(MetaRequest.OpCase requestCase, LoggedWrite.OpCase writeCase, String metricName) {
    this.requestCase = requestCase;
    this.writeCase = writeCase;
    this.metricName = metricName;
  }

  @Override
  public final MetaRequest.OpCase requestCase() {
    return requestCase;
  }

  @Override
  public final LoggedWrite.OpCase writeCase() {
    return writeCase;
  }

  @Override
  public final String metricName() {
    return metricName;
  }

  @Override
  public final CompletableFuture<MetaResponse> handle(MetaRequest request, MasterContext master)
      throws NamespaceException {
    // The client id goes into the log entry and the dedup table of every replica.
    Fields.checkId("client_id", request.getClientId());
    validate(request, master);
    return submit(request, master);
  }

  /**
   * Refuses what can be refused without state, before anything is logged: paths, bounds, the
   * master's settings.
   */
  void validate(MetaRequest request, MasterContext master) throws NamespaceException {}

  /** Sends the validated write to the log. */
  CompletableFuture<MetaResponse> submit(MetaRequest request, MasterContext master) {
    return master.log(logged(request));
  }

  /** Sets the operation's field of the log form from the request's. */
  abstract void copyOperation(MetaRequest request, LoggedWrite.Builder write);

  /** The log form of {@code request}, with its dedup identity. */
  final LoggedWrite logged(MetaRequest request) {
    LoggedWrite.Builder write =
        LoggedWrite.newBuilder()
            .setClientId(request.getClientId())
            .setCallId(request.getCallId())
            .setAnsweredBelow(request.getAnsweredBelow());
    copyOperation(request, write);
    return write.build();
  }
}
