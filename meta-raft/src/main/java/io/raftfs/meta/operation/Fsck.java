package io.raftfs.meta.operation;

import static io.raftfs.meta.operation.Responses.error;
import static io.raftfs.meta.operation.Responses.ok;

import io.raftfs.meta.namespace.NamespaceException;
import io.raftfs.meta.namespace.PathNames;
import io.raftfs.meta.repair.FsckReporter;
import io.raftfs.meta.users.Identity;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaResponse;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;

/** {@code fsck}: the health of every block under a path, as the leader sees it. */
final class Fsck implements ClientOperation {
  @Override
  public MetaRequest.OpCase requestCase() {
    return MetaRequest.OpCase.FSCK;
  }

  @Override
  public String metricName() {
    return "fsck";
  }

  @Override
  public CompletableFuture<MetaResponse> handle(MetaRequest request, MasterContext master)
      throws NamespaceException {
    return handle(request, master, null, Identity.UNSIGNED);
  }

  /** Unless a superuser asks, every directory of the tree needs {@code r+x} (as listing it). */
  @Override
  public CompletableFuture<MetaResponse> handle(
      MetaRequest request, MasterContext master, InetAddress caller, Identity identity)
      throws NamespaceException {
    String path = request.getFsck().getPath();
    PathNames.split(path);
    FsckReporter reporter = new FsckReporter(master.store(), master.tracker());
    return master.afterReadBarrier(
        () -> {
          try {
            master
                .store()
                .check(
                    identity.user(),
                    (namespace, accessor) -> namespace.permissions(accessor).checkFsck(path));
            return ok().setFsck(reporter.report(path)).build();
          } catch (NamespaceException e) {
            return error(e.code(), e.getMessage());
          }
        });
  }
}
