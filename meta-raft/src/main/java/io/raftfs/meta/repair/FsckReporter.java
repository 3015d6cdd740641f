package io.raftfs.meta.repair;

import io.raftfs.meta.datanodes.DataNodeTracker;
import io.raftfs.meta.namespace.NamespaceException;
import io.raftfs.meta.statemachine.MetaStore;
import io.raftfs.proto.BlockInfo;
import io.raftfs.proto.FsckBlock;
import io.raftfs.proto.FsckFile;
import io.raftfs.proto.FsckReport;
import java.util.Set;

/** {@code fsck}: the health of every block of every file under a path, as the leader sees it. */
public final class FsckReporter {
  private final MetaStore store;
  private final DataNodeTracker tracker;

  public FsckReporter(MetaStore store, DataNodeTracker tracker) {
    this.store = store;
    this.tracker = tracker;
  }

  public FsckReport report(String path) throws NamespaceException {
    Set<String> draining = store.decommissioning();
    FsckReport.Builder report = FsckReport.newBuilder();
    store.forEachFile(
        path,
        (filePath, replication, blocks) -> {
          report.setFiles(report.getFiles() + 1);
          FsckFile.Builder file = FsckFile.newBuilder().setPath(filePath);
          boolean unhealthy = false;
          for (BlockInfo block : blocks) {
            BlockHealth health = BlockHealth.of(block.getBlockId(), tracker, draining);
            String state = health.state(replication);
            file.setLength(file.getLength() + block.getLength());
            file.addBlocks(
                FsckBlock.newBuilder()
                    .setBlockId(block.getBlockId())
                    .setExpectedReplicas(replication)
                    .setLiveReplicas(health.live().size())
                    .setCorruptReplicas(health.corrupt().size())
                    .setState(state));
            report.setBlocks(report.getBlocks() + 1);
            report.setCorruptReplicas(report.getCorruptReplicas() + health.corrupt().size());
            switch (state) {
              case "HEALTHY" -> report.setHealthyBlocks(report.getHealthyBlocks() + 1);
              case "MISSING" -> report.setMissingBlocks(report.getMissingBlocks() + 1);
              default -> report.setUnderReplicatedBlocks(report.getUnderReplicatedBlocks() + 1);
            }
            unhealthy |= !state.equals("HEALTHY");
          }
          if (unhealthy) {
            report.addUnhealthyFiles(file);
          }
        });
    return report.setHealthy(report.getHealthyBlocks() == report.getBlocks()).build();
  }
}
