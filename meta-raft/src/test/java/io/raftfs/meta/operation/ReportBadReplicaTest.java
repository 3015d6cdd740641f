package io.raftfs.meta.operation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.meta.datanodes.DataNodeTracker;
import io.raftfs.meta.datanodes.RegisteredNodeCheck;
import io.raftfs.meta.repair.ReleasedBlocks;
import io.raftfs.meta.statemachine.MetaStore;
import io.raftfs.proto.Heartbeat;
import io.raftfs.proto.LoggedWrite;
import io.raftfs.proto.MetaBatch;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.RegisterDataNodeRequest;
import io.raftfs.proto.ReportBadReplicaRequest;
import java.net.InetAddress;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Only the holder's own host can confirm that one of its replicas is corrupt. */
class ReportBadReplicaTest {
  private final DataNodeTracker tracker = new DataNodeTracker(() -> 0, 10_000, 600_000);
  private InetAddress holderHost;
  private MasterContext master;

  @BeforeEach
  void setUp() throws Exception {
    holderHost = InetAddress.getByName("10.0.0.1");
    MetaStore store = new MetaStore(Operations.ALL, new ReleasedBlocks());
    store.apply(
        MetaBatch.newBuilder()
            .setTimestampMillis(1)
            .addRequests(
                LoggedWrite.newBuilder()
                    .setRegisterDataNode(
                        RegisterDataNodeRequest.newBuilder()
                            .setNodeId("a")
                            .setHttpAddress("10.0.0.1:9881")))
            .build());
    RegisteredNodeCheck check =
        new RegisteredNodeCheck(store::registeredAddress, host -> Set.of(holderHost));
    // The node's first heartbeat resolved its host.
    assertTrue(
        check.acceptsHeartbeat(
            Heartbeat.newBuilder().setNodeId("a").setHttpAddress("10.0.0.1:9881").build(),
            holderHost));
    master = new MasterContext(store, null, null, tracker, null, null, check, null, null, null);
  }

  @Test
  void aReportFromElsewhereIsAReadersWordOnly() throws Exception {
    new ReportBadReplica().handle(report(7, "a"), master, InetAddress.getByName("10.0.0.66"));

    assertTrue(tracker.isCorrupt(7, "a"));
    assertFalse(tracker.isCorruptByHolder(7, "a"));
  }

  @Test
  void aReportFromTheHoldersHostIsTheHoldersWord() throws Exception {
    new ReportBadReplica().handle(report(7, "a"), master, holderHost);

    assertTrue(tracker.isCorruptByHolder(7, "a"));
  }

  private static MetaRequest report(long blockId, String nodeId) {
    return MetaRequest.newBuilder()
        .setReportBadReplica(
            ReportBadReplicaRequest.newBuilder().setBlockId(blockId).setNodeId(nodeId))
        .build();
  }
}
