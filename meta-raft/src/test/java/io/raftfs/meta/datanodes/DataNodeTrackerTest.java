package io.raftfs.meta.datanodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.proto.BlockReport;
import io.raftfs.proto.DataNodeAddress;
import io.raftfs.proto.Heartbeat;
import io.raftfs.proto.StoredBlock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Where the tracker believes replicas are, as placements and block reports interleave. */
class DataNodeTrackerTest {
  private final AtomicLong nanos = new AtomicLong();
  private final DataNodeTracker tracker = new DataNodeTracker(nanos::get, 10_000, 600_000);

  @BeforeEach
  void nodes() {
    for (String id : List.of("a", "b", "c")) {
      tracker.heartbeat(Heartbeat.newBuilder().setNodeId(id).setHttpAddress(id + ":80").build());
    }
  }

  @Test
  void aReadersCorruptMarkLapsesUnconfirmedAndARepeatDoesNotExtendIt() {
    tracker.placed(7, List.of("a", "b"));
    tracker.markCorrupt(7, "a", false);
    nanos.addAndGet(300_000_000_000L);
    tracker.markCorrupt(7, "a", false);
    nanos.addAndGet(299_999_999_999L);
    assertTrue(tracker.isCorrupt(7, "a"));
    assertEquals(List.of("b"), replicaIds(7));

    nanos.addAndGet(1);
    assertFalse(tracker.isCorrupt(7, "a"), "600 s after the first report");
    long changes = tracker.replicaChanges();
    tracker.expireCorruptMarks();
    assertEquals(changes + 1, tracker.replicaChanges());
    tracker.heartbeat(Heartbeat.newBuilder().setNodeId("a").setHttpAddress("a:80").build());
    tracker.heartbeat(Heartbeat.newBuilder().setNodeId("b").setHttpAddress("b:80").build());
    assertEquals(Set.of("a", "b"), Set.copyOf(replicaIds(7)));

    tracker.markCorrupt(7, "a", false);
    assertTrue(tracker.isCorrupt(7, "a"), "a new report marks it again");
  }

  @Test
  void aCorruptMarkTheHolderConfirmedNeverLapses() {
    tracker.markCorrupt(7, "a", false);
    tracker.markCorrupt(7, "a", true);
    nanos.addAndGet(3_600_000_000_000L);
    tracker.expireCorruptMarks();
    assertTrue(tracker.isCorrupt(7, "a"));
    assertTrue(tracker.isCorruptByHolder(7, "a"));
  }

  private List<String> replicaIds(long blockId) {
    return tracker.replicasOf(blockId).stream().map(DataNodeAddress::getNodeId).toList();
  }

  @Test
  void aFullReportBuiltBeforeAPlacementDoesNotHideThePlacedReplica() {
    tracker.placed(7, List.of("a", "b", "c"));

    tracker.blockReport(full("a"));

    assertEquals(Set.of("a", "b", "c"), tracker.holders(7));
  }

  @Test
  void aPlacementTheNodeNeverReportedIsDroppedByAFullReportAfterTheGrace() {
    tracker.placed(7, List.of("a", "b"));
    tracker.blockReport(full("b", 7));
    nanos.addAndGet(DataNodeTracker.PLACEMENT_GRACE_NANOS);

    tracker.blockReport(full("a"));
    tracker.blockReport(full("b", 7));

    assertEquals(Set.of("b"), tracker.holders(7));
  }

  @Test
  void aReportedReplicaIsDroppedByTheNextFullReportWithoutIt() {
    tracker.placed(7, List.of("a"));
    tracker.blockReport(full("a", 7));

    tracker.blockReport(full("a"));

    assertEquals(Set.of(), tracker.holders(7));
  }

  @Test
  void aBlockWhoseLastHolderIsGoneIsNoLongerReported() {
    tracker.placed(7, List.of("a", "b"));
    tracker.placed(8, List.of("a"));
    tracker.blockReport(full("a", 7, 8));

    tracker.forget(7, "a");
    tracker.blockReport(full("a", 7));

    assertEquals(Set.of("a", "b"), tracker.holders(7));
    assertEquals(Set.of(), tracker.holders(8));
    assertEquals(Set.of(7L), tracker.reportedBlocks());
  }

  @Test
  void replicaChangesCountOnlyWhatCanCallForARepair() {
    tracker.placed(7, List.of("a", "b"));
    long start = tracker.replicaChanges();

    tracker.blockReport(incremental("a", 7));
    assertEquals(start, tracker.replicaChanges(), "the placed holder reporting it");

    tracker.blockReport(incremental("c", 7));
    assertEquals(start + 1, tracker.replicaChanges(), "a holder the master did not place");
    tracker.forget(7, "c");
    assertEquals(start + 2, tracker.replicaChanges(), "a replica gone");
    tracker.forget(7, "c");
    assertEquals(start + 2, tracker.replicaChanges(), "nothing was there to forget");
    tracker.markCorrupt(7, "a", false);
    assertEquals(start + 3, tracker.replicaChanges(), "a corrupt replica");
  }

  @Test
  void aFullReportOfTwoMillionBlocksInChunksReplacesTheViewOnlyWhenItsLastChunkArrived() {
    long blocks = 2_000_000;
    int perChunk = 100_000;
    tracker.blockReport(full("a", blocks + 1)); // what a held before
    int chunks = (int) (blocks / perChunk);

    for (int index = 0; index < chunks; index++) {
      tracker.blockReport(chunk("a", 9, index, index < chunks - 1, index * perChunk + 1, perChunk));
      if (index < chunks - 1) {
        assertEquals(Set.of("a"), tracker.holders(blocks + 1), "not replaced before the end");
      }
    }

    assertEquals(Set.of(), tracker.holders(blocks + 1));
    assertEquals(Set.of("a"), tracker.holders(1));
    assertEquals(Set.of("a"), tracker.holders(blocks));
    assertEquals(blocks, tracker.reportedBlocks().size());
  }

  @Test
  void aFullReportWithALostChunkIsDroppedAndReplacedByTheNextOne() {
    tracker.blockReport(full("a", 100));

    tracker.blockReport(chunk("a", 1, 0, true, 1, 10));
    tracker.blockReport(chunk("a", 1, 2, false, 21, 10)); // chunk 1 was lost
    assertEquals(Set.of("a"), tracker.holders(100), "an incomplete report replaces nothing");
    assertEquals(Set.of(), tracker.holders(1));

    tracker.blockReport(chunk("a", 2, 0, true, 1, 10));
    tracker.blockReport(chunk("a", 2, 1, false, 11, 10));
    assertEquals(Set.of(), tracker.holders(100));
    assertEquals(Set.of("a"), tracker.holders(20));
  }

  /** One chunk of a full report: {@code count} blocks from {@code firstBlockId} on. */
  private static BlockReport chunk(
      String nodeId, long reportId, int index, boolean more, long firstBlockId, int count) {
    BlockReport.Builder report =
        BlockReport.newBuilder()
            .setNodeId(nodeId)
            .setFull(true)
            .setReportId(reportId)
            .setChunkIndex(index)
            .setMoreChunks(more);
    for (long id = firstBlockId; id < firstBlockId + count; id++) {
      report.addAdded(StoredBlock.newBuilder().setBlockId(id).setLength(1));
    }
    return report.build();
  }

  private static BlockReport incremental(String nodeId, long blockId) {
    return BlockReport.newBuilder()
        .setNodeId(nodeId)
        .addAdded(StoredBlock.newBuilder().setBlockId(blockId).setLength(1))
        .build();
  }

  private static BlockReport full(String nodeId, long... blockIds) {
    BlockReport.Builder report = BlockReport.newBuilder().setNodeId(nodeId).setFull(true);
    for (long blockId : blockIds) {
      report.addAdded(StoredBlock.newBuilder().setBlockId(blockId).setLength(1));
    }
    return report.build();
  }
}
