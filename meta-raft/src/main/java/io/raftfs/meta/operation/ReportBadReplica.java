package io.raftfs.meta.operation;

import static io.raftfs.meta.operation.Responses.done;
import static io.raftfs.meta.operation.Responses.ok;

import io.raftfs.meta.namespace.NamespaceException;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaResponse;
import io.raftfs.proto.ReportBadReplicaRequest;
import java.util.concurrent.CompletableFuture;

/**
 * {@code report_bad_replica}: a reader found a replica corrupt. Soft state on the leader, no log
 * write: the repair loop replaces the replica.
 */
final class ReportBadReplica implements ClientOperation {
  @Override
  public MetaRequest.OpCase requestCase() {
    return MetaRequest.OpCase.REPORT_BAD_REPLICA;
  }

  @Override
  public String metricName() {
    return "report_bad_replica";
  }

  @Override
  public CompletableFuture<MetaResponse> handle(MetaRequest request, MasterContext master)
      throws NamespaceException {
    ReportBadReplicaRequest report = request.getReportBadReplica();
    // The id is kept in the leader's soft state until the replica is replaced.
    Fields.checkRequiredId("node_id", report.getNodeId());
    master.tracker().markCorrupt(report.getBlockId(), report.getNodeId());
    return done(ok().build());
  }
}
