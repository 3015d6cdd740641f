package io.raftfs.meta.operation;

import static io.raftfs.meta.operation.Responses.ok;

import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaResponse;
import java.util.concurrent.CompletableFuture;

/** {@code cluster_status}: masters, data nodes and repair figures; any master answers. */
final class GetClusterStatus implements ClientOperation {
  @Override
  public MetaRequest.OpCase requestCase() {
    return MetaRequest.OpCase.CLUSTER_STATUS;
  }

  @Override
  public String metricName() {
    return "cluster_status";
  }

  /** The view survives the leader's death: a follower answers too. */
  @Override
  public boolean leaderOnly() {
    return false;
  }

  @Override
  public CompletableFuture<MetaResponse> handle(MetaRequest request, MasterContext master) {
    return master.clusterStatus().thenApply(status -> ok().setCluster(status).build());
  }
}
