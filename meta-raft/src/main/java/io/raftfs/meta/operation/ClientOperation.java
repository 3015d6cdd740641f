package io.raftfs.meta.operation;

import io.raftfs.meta.namespace.NamespaceException;
import io.raftfs.meta.users.Identity;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaResponse;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;

/** A kind of {@link MetaRequest}: how a master answers it. */
public non-sealed interface ClientOperation extends MetaOperation {
  MetaRequest.OpCase requestCase();

  /** The {@code op} label of its metrics. */
  String metricName();

  /** False for an operation any master answers; the others are refused on followers. */
  default boolean leaderOnly() {
    return true;
  }

  /**
   * Checks what can be checked without state (path syntax, cheap bounds), then answers: through the
   * log for a write, from state after a read barrier for a read.
   *
   * @throws NamespaceException to refuse the request before anything happened
   */
  CompletableFuture<MetaResponse> handle(MetaRequest request, MasterContext master)
      throws NamespaceException;

  /**
   * {@link #handle(MetaRequest, MasterContext)} for a request that came over a connection from
   * {@code caller} (null if unknown), for the operations that depend on who asks.
   */
  default CompletableFuture<MetaResponse> handle(
      MetaRequest request, MasterContext master, InetAddress caller) throws NamespaceException {
    return handle(request, master);
  }

  /**
   * {@link #handle(MetaRequest, MasterContext, InetAddress)} for a request signed by {@code
   * identity}, for the operations that depend on who signed: writes log their caller, placements
   * and locations issue block tokens in its name.
   */
  default CompletableFuture<MetaResponse> handle(
      MetaRequest request, MasterContext master, InetAddress caller, Identity identity)
      throws NamespaceException {
    return handle(request, master, caller);
  }
}
