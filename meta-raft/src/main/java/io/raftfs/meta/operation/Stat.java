package io.raftfs.meta.operation;

import static io.raftfs.meta.operation.Responses.ok;

import io.raftfs.meta.namespace.Accessor;
import io.raftfs.meta.namespace.Namespace;
import io.raftfs.meta.namespace.NamespaceException;
import io.raftfs.meta.statemachine.MetaStore;
import io.raftfs.meta.users.Identity;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaResponse;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;

/** {@code stat}: a file's or directory's status, linearizable. */
final class Stat implements ClientOperation, MetaStore.Query {
  @Override
  public MetaRequest.OpCase requestCase() {
    return MetaRequest.OpCase.STAT;
  }

  @Override
  public String metricName() {
    return "stat";
  }

  @Override
  public CompletableFuture<MetaResponse> handle(MetaRequest request, MasterContext master) {
    return handle(request, master, null, Identity.UNSIGNED);
  }

  @Override
  public CompletableFuture<MetaResponse> handle(
      MetaRequest request, MasterContext master, InetAddress caller, Identity identity) {
    return master.read(request, identity, this);
  }

  @Override
  public MetaResponse answer(MetaRequest request, Namespace namespace, Accessor caller)
      throws NamespaceException {
    String path = request.getStat().getPath();
    namespace.permissions(caller).checkStat(path);
    return ok().setStatus(namespace.stat(path)).build();
  }
}
