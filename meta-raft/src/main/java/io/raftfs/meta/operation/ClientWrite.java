package io.raftfs.meta.operation;

import io.raftfs.meta.namespace.Accessor;
import io.raftfs.meta.namespace.Namespace;
import io.raftfs.meta.namespace.NamespaceException;
import io.raftfs.meta.namespace.Permissions;
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

  /**
   * Sends the validated write of {@code identity} to the log if the leader's state allows it
   * ({@link #checkState}): a write the caller may not make never enters the log.
   */
  CompletableFuture<MetaResponse> submit(
      MetaRequest request, MasterContext master, Identity identity) throws NamespaceException {
    LoggedWrite write = logged(request, identity);
    return master.whenAllowed(
        request,
        identity,
        (namespace, caller) -> checkState(write, namespace, caller),
        () -> master.log(write));
  }

  /** What the leader's state must allow before {@code write} is logged: its permissions. */
  void checkState(LoggedWrite write, Namespace namespace, Accessor caller)
      throws NamespaceException {
    checkAccess(write, namespace.permissions(caller));
  }

  /**
   * Refuses what the caller may not do to the tree (see {@link Permissions}): on the leader before
   * the log, and again by every replica on apply, with the same state and caller.
   */
  void checkAccess(LoggedWrite write, Permissions permissions) throws NamespaceException {}

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
