package io.raftfs.meta.operation;

import static io.raftfs.meta.operation.Responses.done;
import static io.raftfs.meta.operation.Responses.ok;

import io.raftfs.meta.namespace.NamespaceException;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaResponse;
import io.raftfs.proto.ReportBadReplicaRequest;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;

/**
 * {@code report_bad_replica}: a reader or the holder's scrubber found a replica corrupt. Soft state
 * on the leader, no log write: the repair loop replaces the replica. Anyone may send it, so only a
 * report from the holder's own registered host (its scrubber) lets the replica go before a good
 * copy replaced it: a reader's lie then costs at most an extra copy, never a replica.
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

  /** From an unknown caller: a reader's report. */
  @Override
  public CompletableFuture<MetaResponse> handle(MetaRequest request, MasterContext master)
      throws NamespaceException {
    return handle(request, master, null);
  }

  @Override
  public CompletableFuture<MetaResponse> handle(
      MetaRequest request, MasterContext master, InetAddress caller) throws NamespaceException {
    ReportBadReplicaRequest report = request.getReportBadReplica();
    // The id is kept in the leader's soft state until the replica is replaced.
    Fields.checkRequiredId("node_id", report.getNodeId());
    boolean byHolder = master.registeredNodes().isHostOf(report.getNodeId(), caller);
    master.tracker().markCorrupt(report.getBlockId(), report.getNodeId(), byHolder);
    return done(ok().build());
  }
}
