package io.raftfs.meta.operation;

import static io.raftfs.meta.operation.Responses.ok;

import io.raftfs.meta.namespace.Accessor;
import io.raftfs.meta.namespace.Namespace;
import io.raftfs.meta.namespace.NamespaceException;
import io.raftfs.meta.statemachine.MetaStore;
import io.raftfs.meta.users.Identity;
import io.raftfs.proto.ListRequest;
import io.raftfs.proto.Listing;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaResponse;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;

/** {@code list}: a directory's entries (or a file's own status), linearizable. */
final class ListDirectory implements ClientOperation, MetaStore.Query {
  @Override
  public MetaRequest.OpCase requestCase() {
    return MetaRequest.OpCase.LIST;
  }

  @Override
  public String metricName() {
    return "list";
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
    ListRequest list = request.getList();
    namespace.permissions(caller).checkList(list.getPath());
    Namespace.Page page = namespace.list(list.getPath(), list.getStartAfter(), list.getLimit());
    return ok().setListing(
            Listing.newBuilder().addAllEntries(page.entries()).setTruncated(page.truncated()))
        .build();
  }
}
