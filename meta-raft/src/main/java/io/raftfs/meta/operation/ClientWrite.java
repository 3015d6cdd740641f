package io.raftfs.meta.operation;

import io.raftfs.meta.namespace.NamespaceException;
import io.raftfs.meta.users.Identity;
import io.raftfs.proto.LoggedWrite;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaResponse;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;

/**
 * A client's write: checked on the leader ({@link #validate}, then who may: {@link
 * #superuserOnly}), copied into the log form with its caller and dedup identity ({@link #logged}),
 * batched into the log, and applied on every replica, which checks the caller again ({@link
 * Operations#apply}). What the leader refuses never enters the log.
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

  /** As an unsigned caller: a cluster without auth (tests of the leader's checks). */
  @Override
  public final CompletableFuture<MetaResponse> handle(MetaRequest request, MasterContext master)
      throws NamespaceException {
    return handle(request, master, null, Identity.UNSIGNED);
  }

  @Override
  public final CompletableFuture<MetaResponse> handle(
      MetaRequest request, MasterContext master, InetAddress caller, Identity identity)
      throws NamespaceException {
    // The client id goes into the log entry and the dedup table of every replica.
    Fields.checkId("client_id", request.getClientId());
    validate(request, master);
    if (superuserOnly()) {
      master.requireSuperuser(identity, metricName);
    }
    return submit(request, master, identity);
  }

  /**
   * True for an operation of the superuser group only (users, data nodes' service): refused on the
   * leader before the log, and by every replica that applies it for another caller.
   */
  boolean superuserOnly() {
    return false;
  }

  /**
   * Refuses what can be refused without state, before anything is logged: paths, bounds, the
   * master's settings.
   */
  void validate(MetaRequest request, MasterContext master) throws NamespaceException {}

  /** Sends the validated write of {@code identity} to the log. */
  CompletableFuture<MetaResponse> submit(
      MetaRequest request, MasterContext master, Identity identity) throws NamespaceException {
    return master.log(logged(request, identity));
  }

  /** Sets the operation's field of the log form from the request's. */
  abstract void copyOperation(MetaRequest request, LoggedWrite.Builder write);

  /** The log form of {@code request}, with its caller and dedup identity. */
  final LoggedWrite logged(MetaRequest request, Identity identity) {
    LoggedWrite.Builder write =
        LoggedWrite.newBuilder()
            .setClientId(request.getClientId())
            .setCallId(request.getCallId())
            .setAnsweredBelow(request.getAnsweredBelow())
            .setCaller(identity.user())
            .setAccessKeyId(identity.accessKeyId());
    copyOperation(request, write);
    return write.build();
  }
}
