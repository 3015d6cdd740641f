package io.raftfs.meta.operation;

import static io.raftfs.meta.operation.Responses.ok;

import io.raftfs.meta.namespace.Namespace;
import io.raftfs.meta.namespace.NamespaceException;
import io.raftfs.meta.statemachine.MetaStore;
import io.raftfs.proto.ListRequest;
import io.raftfs.proto.Listing;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaResponse;
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
    return master.read(request, this);
  }

  @Override
  public MetaResponse answer(MetaRequest request, Namespace namespace) throws NamespaceException {
    ListRequest list = request.getList();
    Namespace.Page page = namespace.list(list.getPath(), list.getStartAfter(), list.getLimit());
    return ok().setListing(
            Listing.newBuilder().addAllEntries(page.entries()).setTruncated(page.truncated()))
        .build();
  }
}
