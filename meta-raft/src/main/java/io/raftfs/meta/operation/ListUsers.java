package io.raftfs.meta.operation;

import static io.raftfs.meta.operation.Responses.ok;

import io.raftfs.meta.namespace.NamespaceException;
import io.raftfs.meta.users.Identity;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaResponse;
import io.raftfs.proto.UserList;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;

/**
 * {@code list_users} (superuser only): every user's name, access key id and groups, never a secret;
 * a linearizable read.
 */
final class ListUsers implements ClientOperation {
  @Override
  public MetaRequest.OpCase requestCase() {
    return MetaRequest.OpCase.LIST_USERS;
  }

  @Override
  public String metricName() {
    return "list_users";
  }

  /** As an unsigned caller: a cluster without auth. */
  @Override
  public CompletableFuture<MetaResponse> handle(MetaRequest request, MasterContext master)
      throws NamespaceException {
    return handle(request, master, null, Identity.UNSIGNED);
  }

  @Override
  public CompletableFuture<MetaResponse> handle(
      MetaRequest request, MasterContext master, InetAddress caller, Identity identity)
      throws NamespaceException {
    master.requireSuperuser(identity, metricName());
    return master.afterReadBarrier(
        () -> ok().setUsers(UserList.newBuilder().addAllUsers(master.store().userList())).build());
  }
}
