package io.raftfs.meta.repair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.meta.datanodes.DataNodeTracker;
import io.raftfs.meta.operation.Operations;
import io.raftfs.meta.placement.BlockPlacement;
import io.raftfs.meta.statemachine.MetaStore;
import io.raftfs.proto.BlockInfo;
import io.raftfs.proto.BlockReport;
import io.raftfs.proto.CommitFileRequest;
import io.raftfs.proto.DataNodeCommand;
import io.raftfs.proto.DecommissionRequest;
import io.raftfs.proto.DeleteRequest;
import io.raftfs.proto.Heartbeat;
import io.raftfs.proto.LoggedWrite;
import io.raftfs.proto.MetaBatch;
import io.raftfs.proto.RegisterDataNodeRequest;
import io.raftfs.proto.ReserveBlockIdsRequest;
import io.raftfs.proto.RetireBlocksRequest;
import io.raftfs.proto.StoredBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The repair decisions, driven by a real store and tracker with a clock the test advances. */
class ReplicationMonitorTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long GRACE_MS = 60_000;

  private final AtomicLong nanos = new AtomicLong(SECOND);
  private final DataNodeTracker tracker = new DataNodeTracker(nanos::get, 10_000, 600_000);
  private final DataNodeCommands commands = new DataNodeCommands();
  private final List<Long> released = new ArrayList<>();
  private final List<Long> retirements = new ArrayList<>();
  // What the leader's id pool says: ids below handedOutBelow went out at handedOutAt (nanos).
  private long handedOutAt = SECOND;
  private long handedOutBelow = 101;
  private MetaStore store;
  private ReplicationMonitor monitor;

  @BeforeEach
  void setUp() {
    ReleasedBlocks releasedBlocks = new ReleasedBlocks();
    store = new MetaStore(Operations.ALL, releasedBlocks);
    monitor =
        new ReplicationMonitor(
            store,
            tracker,
            new BlockPlacement(tracker, store::isInService, new SplittableRandom(1)),
            commands,
            nanos::get,
            new ReplicationMonitor.Settings(10_000, 2, 30_000, GRACE_MS),
            releasedBlocks,
            new ReplicationMonitor.Retirement(
                cutoff -> cutoff >= handedOutAt ? handedOutBelow : 0,
                below -> {
                  retirements.add(below);
                  apply(
                      LoggedWrite.newBuilder()
                          .setRetireBlocks(RetireBlocksRequest.newBuilder().setBelow(below))
                          .build());
                  return CompletableFuture.completedFuture(null);
                }));
    apply(
        LoggedWrite.newBuilder()
            .setReserveBlockIds(ReserveBlockIdsRequest.newBuilder().setCount(100))
            .build());
    for (String node : List.of("a", "b", "c", "d")) {
      apply(
          LoggedWrite.newBuilder()
              .setRegisterDataNode(
                  RegisterDataNodeRequest.newBuilder().setNodeId(node).setHttpAddress(node + ":1"))
              .build());
    }
    nanos.addAndGet(11 * SECOND); // past safe mode
  }

  private void apply(LoggedWrite request) {
    store.apply(MetaBatch.newBuilder().setTimestampMillis(1).addRequests(request).build());
  }

  private void commit(String path, int replication, long... blockIds) {
    CommitFileRequest.Builder commit =
        CommitFileRequest.newBuilder().setPath(path).setReplication(replication).setBlockSize(1000);
    for (long id : blockIds) {
      commit.addBlocks(BlockInfo.newBuilder().setBlockId(id).setLength(10).setCrc32C(5));
    }
    apply(LoggedWrite.newBuilder().setCommitFile(commit).build());
  }

  private void alive(String... nodes) {
    for (String node : nodes) {
      tracker.heartbeat(
          Heartbeat.newBuilder()
              .setNodeId(node)
              .setHttpAddress(node + ":1")
              .setCapacityBytes(1 << 30)
              .setFreeBytes(1 << 30)
              .build());
    }
  }

  private void holds(String node, boolean full, long... blockIds) {
    BlockReport.Builder report = BlockReport.newBuilder().setNodeId(node).setFull(full);
    for (long id : blockIds) {
      report.addAdded(StoredBlock.newBuilder().setBlockId(id).setLength(10));
    }
    tracker.blockReport(report.build());
  }

  private List<DataNodeCommand> drainAll(String... nodes) {
    List<DataNodeCommand> all = new ArrayList<>();
    for (String node : nodes) {
      all.addAll(commands.drain(node));
    }
    return all;
  }

  @Test
  void waitsInSafeModeUntilEveryLiveNodeSentAFullReport() {
    commit("/f", 3, 1);
    alive("a", "b", "c");
    holds("a", true, 1);
    monitor.scan();
    assertEquals(List.of(), drainAll("a", "b", "c"), "b and c have not reported yet");
  }

  @Test
  void copiesUnderReplicatedBlocksMostEndangeredFirstWithinThePerNodeBound() {
    commit("/one-left", 3, 1);
    commit("/two-left", 3, 2, 3);
    alive("a", "b", "c", "d");
    holds("a", true, 1, 2, 3);
    holds("b", true, 2, 3);
    holds("c", true);
    holds("d", true);

    monitor.scan();

    List<DataNodeCommand> fromA = commands.drain("a");
    List<DataNodeCommand> fromB = commands.drain("b");
    assertTrue(fromA.size() <= 2 && fromB.size() <= 2, "at most two copies per source");
    assertEquals(
        1, fromA.get(0).getCopyBlock().getBlock().getBlockId(), "block 1 (one replica) first");
    for (DataNodeCommand copy : concat(fromA, fromB)) {
      String target = copy.getCopyBlock().getTarget().getNodeId();
      long block = copy.getCopyBlock().getBlock().getBlockId();
      assertTrue(!tracker.holders(block).contains(target), "never to a node holding it");
      assertEquals(10, copy.getCopyBlock().getBlock().getLength());
    }
    assertEquals(3, monitor.summary().underReplicated());
    assertEquals(4, monitor.summary().pendingCopies());
  }

  @Test
  void deletesSurplusAndCorruptReplicasOnlyOnceTheBlockIsFullyReplicated() {
    commit("/f", 2, 1);
    alive("a", "b", "c");
    holds("a", true, 1);
    holds("b", true, 1);
    holds("c", true, 1);
    tracker.markCorrupt(1, "a", true);

    monitor.scan();
    List<DataNodeCommand> toA = commands.drain("a");
    assertEquals(
        List.of(1L), toA.get(0).getDeleteBlocks().getBlockIdsList(), "corrupt replica goes");
    assertEquals(List.of(), drainAll("b", "c"), "b and c are exactly the two replicas needed");
    assertEquals(List.of("b", "c").size(), tracker.holders(1).size());
  }

  @Test
  void aCorruptReplicaIsKeptUntilAGoodCopyReplacesIt() {
    commit("/f", 2, 1);
    alive("a", "b", "c");
    holds("a", true, 1);
    holds("b", true, 1);
    holds("c", true);
    tracker.markCorrupt(1, "a", true);

    monitor.scan();
    DataNodeCommand copy = commands.drain("b").get(0);
    assertEquals("c", copy.getCopyBlock().getTarget().getNodeId());
    assertEquals(List.of(), commands.drain("a"), "not deleted while it would leave one replica");
    assertEquals(1, monitor.summary().corruptReplicas());
  }

  @Test
  void aCorruptReplicaOnTheOnlyPossibleTargetIsDeletedSoAGoodCopyCanTakeItsPlace() {
    commit("/f", 3, 1);
    alive("a", "b", "c");
    holds("a", true, 1);
    holds("b", true, 1);
    holds("c", true, 1);
    tracker.markCorrupt(1, "a", true);

    monitor.scan();
    assertEquals(List.of(1L), commands.drain("a").get(0).getDeleteBlocks().getBlockIdsList());
    assertEquals(List.of(), drainAll("b", "c"), "no copy yet: a still held the bad replica");

    monitor.scan();
    DataNodeCommand copy = drainAll("b", "c").get(0);
    assertEquals("a", copy.getCopyBlock().getTarget().getNodeId(), "a good copy goes to a");
  }

  @Test
  void aReadersReportAloneNeverFreesTheOnlyPossibleTarget() {
    commit("/f", 3, 1);
    alive("a", "b", "c");
    holds("a", true, 1);
    holds("b", true, 1);
    holds("c", true, 1);
    tracker.markCorrupt(1, "a", false); // anyone may send it: a reader that lies

    monitor.scan();
    monitor.scan();

    assertEquals(List.of(), drainAll("a", "b", "c"), "a keeps its replica until a keeps another");
    assertEquals(1, monitor.summary().corruptReplicas());

    tracker.markCorrupt(1, "a", true); // a's own scrubber confirms
    monitor.scan();
    assertEquals(List.of(1L), commands.drain("a").get(0).getDeleteBlocks().getBlockIdsList());
  }

  @Test
  void aReadersMarkLapsesUnlessTheHolderConfirmsIt() {
    commit("/f", 1, 1);
    commit("/g", 3, 2);
    alive("a", "b", "c");
    holds("a", true, 1, 2);
    holds("b", true, 2);
    holds("c", true, 2);
    tracker.markCorrupt(1, "a", false); // a reader that lies: block 1's only replica
    tracker.markCorrupt(2, "a", false);
    monitor.scan();
    assertEquals(1, monitor.summary().missing());
    assertEquals(1, monitor.summary().underReplicated(), "no fourth node to copy block 2 to");
    assertEquals(List.of(), tracker.replicasOf(1));

    nanos.addAndGet(599 * SECOND);
    alive("a", "b", "c");
    monitor.scan();
    assertEquals(2, monitor.summary().corruptReplicas(), "not yet");

    nanos.addAndGet(SECOND);
    alive("a", "b", "c");
    assertTrue(monitor.hasWork(), "a lapsed mark is a change to look at");
    monitor.scan();
    assertEquals(0, monitor.summary().missing());
    assertEquals(0, monitor.summary().underReplicated());
    assertEquals(0, monitor.summary().corruptReplicas());
    assertEquals("a", tracker.replicasOf(1).get(0).getNodeId(), "offered again");
    assertEquals(List.of(), drainAll("a", "b", "c"), "nothing deleted, nothing copied");
  }

  @Test
  void aMarkTheHolderConfirmedDoesNotLapse() {
    commit("/f", 3, 1);
    alive("a", "b", "c", "d");
    holds("a", true, 1);
    holds("b", true, 1);
    holds("c", true, 1);
    holds("d", true);
    tracker.markCorrupt(1, "a", false);
    nanos.addAndGet(300 * SECOND);
    tracker.markCorrupt(1, "a", true); // a's scrubber found it too

    nanos.addAndGet(3600 * SECOND);
    alive("a", "b", "c", "d");
    monitor.scan();

    assertEquals(1, monitor.summary().corruptReplicas());
    assertEquals(1, monitor.summary().underReplicated());
  }

  @Test
  void aPlacedReplicaMakesAnotherSurplusOnlyOnceItsNodeReportedIt() {
    commit("/f", 2, 1);
    alive("a", "b");
    tracker.heartbeat(
        Heartbeat.newBuilder()
            .setNodeId("c")
            .setHttpAddress("c:1")
            .setCapacityBytes(Long.MAX_VALUE)
            .setFreeBytes(Long.MAX_VALUE) // the most attractive target, and never the surplus
            .build());
    holds("a", true, 1);
    holds("b", true, 1);
    holds("c", true);
    tracker.placed(1, List.of("c"));

    monitor.scan();
    assertEquals(List.of(), drainAll("a", "b", "c"), "c has not stored it: a and b are needed");

    holds("c", false, 1);
    monitor.scan();
    List<DataNodeCommand> deletes = drainAll("a", "b");
    assertEquals(1, deletes.size(), "now one of a and b is surplus");
    assertEquals(List.of(1L), deletes.get(0).getDeleteBlocks().getBlockIdsList());
  }

  @Test
  void aFollowerObservesTheSameRepairAndDrainFiguresWithoutSendingCommands() {
    commit("/f", 3, 1, 2);
    alive("a", "b", "c");
    holds("a", true, 1, 2);
    holds("b", true, 1, 2);
    holds("c", true, 1);
    apply(
        LoggedWrite.newBuilder()
            .setDecommission(DecommissionRequest.newBuilder().setNodeId("a"))
            .build());
    apply(LoggedWrite.newBuilder().setDelete(DeleteRequest.newBuilder().setPath("/f")).build());
    commit("/g", 3, 3);
    holds("a", false, 3);
    holds("b", false, 3);
    holds("c", false, 3);

    monitor.observe();

    assertEquals(List.of(), drainAll("a", "b", "c", "d"), "a follower sends nothing");
    assertEquals(1, monitor.summary().underReplicated());
    assertEquals(Map.of("a", 1L), monitor.summary().blocksToDrain());
    monitor.scan();
    assertEquals(
        3,
        drainAll("a", "b", "c", "d").size(),
        "as leader it deletes what the log retired while it followed: a 1+2, b 1+2, c 1");
  }

  @Test
  void aCopyConfirmedByABlockReportIsReportedOnceToTheCopyListener() {
    List<String> confirmed = new ArrayList<>();
    monitor.onCopyConfirmed((blockId, target) -> confirmed.add(blockId + "@" + target));
    commit("/f", 2, 1);
    alive("a", "b");
    holds("a", true, 1);
    holds("b", true);

    monitor.scan();
    assertEquals("b", commands.drain("a").get(0).getCopyBlock().getTarget().getNodeId());
    monitor.scan();
    assertEquals(List.of(), confirmed, "not before b reports the block");

    holds("b", false, 1);
    monitor.scan();
    monitor.scan();
    assertEquals(List.of("1@b"), confirmed);
    assertEquals(0, monitor.summary().pendingCopies());
  }

  @Test
  void blocksOfDeletedFilesGoAtOnceAndOtherOrphansAfterTheGracePeriod() {
    commit("/f", 1, 1);
    alive("a");
    holds("a", true, 1, 50);
    monitor.scan();
    assertEquals(List.of(), commands.drain("a"));

    apply(LoggedWrite.newBuilder().setDelete(DeleteRequest.newBuilder().setPath("/f")).build());
    monitor.scan();
    assertEquals(List.of(1L), commands.drain("a").get(0).getDeleteBlocks().getBlockIdsList());

    nanos.addAndGet(GRACE_MS * 1_000_000L);
    alive("a");
    monitor.scan();
    assertEquals(
        List.of(101L),
        retirements,
        "ids handed out over the grace ago (50's, and 1's, released above the bound)");
    assertEquals(List.of(), commands.drain("a"), "not on the monitor's word alone");
    monitor.scan();
    assertEquals(
        List.of(50L),
        commands.drain("a").get(0).getDeleteBlocks().getBlockIdsList(),
        "the upload that never committed");
  }

  @Test
  void aCommitAppliedAfterTheRetirementOfItsBlockIsRefusedAndOnlyThatBlockIsDeleted() {
    alive("a");
    holds("a", true, 6, 7, 8);
    nanos.addAndGet(GRACE_MS * 1_000_000L);
    alive("a");
    commit("/early", 1, 6); // slow, but in the log before the retirement
    handedOutBelow = 8; // 8 went out after the cutoff: too young to retire
    monitor.scan();
    assertEquals(List.of(8L), retirements);
    commit("/late", 1, 7); // the slow client's commit, behind the retirement in the log
    commit("/young", 1, 8);
    assertEquals(2, store.files(), "/early and /young; /late is refused");
    monitor.scan();
    assertEquals(
        List.of(7L),
        commands.drain("a").get(0).getDeleteBlocks().getBlockIdsList(),
        "only the block no file holds and none can");
  }

  @Test
  void theBoundMovesPastBlocksOfDeletedFilesSoTheirIdsAreNotKeptOneByOne() {
    commit("/f", 1, 3);
    apply(LoggedWrite.newBuilder().setDelete(DeleteRequest.newBuilder().setPath("/f")).build());
    alive("a");
    holds("a", true);
    nanos.addAndGet(GRACE_MS * 1_000_000L);
    alive("a");
    monitor.scan();
    assertEquals(List.of(101L), retirements, "no orphan replica, but a released id to absorb");
    assertEquals(101, store.retiredBelow());
  }

  @Test
  void blocksNoMasterHandedOutGoAfterTheGracePeriodWithoutARetirement() {
    alive("a");
    holds("a", true, 5_000);
    monitor.scan();
    assertEquals(List.of(), commands.drain("a"));
    nanos.addAndGet(GRACE_MS * 1_000_000L);
    alive("a");
    monitor.scan();
    assertEquals(List.of(), retirements);
    assertEquals(List.of(5_000L), commands.drain("a").get(0).getDeleteBlocks().getBlockIdsList());
  }

  @Test
  void decommissionCopiesEverythingAwayAndReportsWhenDrained() {
    commit("/f", 2, 1);
    alive("a", "b", "c");
    holds("a", true, 1);
    holds("b", true, 1);
    holds("c", true);
    apply(
        LoggedWrite.newBuilder()
            .setDecommission(DecommissionRequest.newBuilder().setNodeId("a"))
            .build());

    monitor.scan();
    DataNodeCommand copy = drainAll("a", "b").get(0);
    assertEquals("c", copy.getCopyBlock().getTarget().getNodeId());
    assertEquals(1L, monitor.summary().blocksToDrain().get("a"));

    holds("c", false, 1);
    monitor.scan();
    assertEquals(0L, monitor.summary().blocksToDrain().get("a"));
    assertEquals(List.of(), drainAll("a", "b", "c"), "nothing to do once drained");
  }

  /** Two files fully replicated on a and b, c empty, and a pass that found nothing to do. */
  private void quietCluster() {
    commit("/f", 2, 1);
    commit("/g", 2, 2);
    alive("a", "b", "c");
    holds("a", true, 1, 2);
    holds("b", true, 1, 2);
    holds("c", true);
    assertTrue(monitor.hasWork(), "no pass yet");
    monitor.scan();
    assertEquals(List.of(), drainAll("a", "b", "c"));
    assertFalse(monitor.hasWork(), "every block fully replicated");
  }

  @Test
  void heartbeatsAndReportsOfKnownReplicasMakeNoWork() {
    quietCluster();
    nanos.addAndGet(5 * SECOND);
    alive("a", "b", "c");
    holds("a", false, 1);
    assertFalse(monitor.hasWork());
  }

  @Test
  void aReplicaReportedGoneMakesWork() {
    quietCluster();
    tracker.blockReport(BlockReport.newBuilder().setNodeId("b").addRemoved(2).build());
    assertTrue(monitor.hasWork());
    monitor.scan();
    assertEquals("c", commands.drain("a").get(0).getCopyBlock().getTarget().getNodeId());
    assertTrue(monitor.hasWork(), "a copy in flight");

    holds("c", false, 2);
    monitor.scan();
    assertFalse(monitor.hasWork(), "the copy confirmed, nothing left");
  }

  @Test
  void aCorruptReplicaMakesWork() {
    quietCluster();
    tracker.markCorrupt(1, "a", true);
    assertTrue(monitor.hasWork());
  }

  @Test
  void aHolderThisMasterDidNotPlaceMakesWork() {
    quietCluster();
    holds("c", false, 1);
    assertTrue(monitor.hasWork(), "a third replica of a block that wants two");
    monitor.scan();
    assertEquals(List.of(1L), drainAll("a", "b", "c").get(0).getDeleteBlocks().getBlockIdsList());
  }

  @Test
  void aNodeThatDiesOrJoinsMakesWork() {
    quietCluster();
    nanos.addAndGet(11 * SECOND);
    alive("a", "c");
    assertTrue(monitor.hasWork(), "b died");

    alive("b");
    monitor.scan();
    drainAll("a", "b", "c");
    alive("d");
    assertTrue(monitor.hasWork(), "d joined");
  }

  @Test
  void deletedFilesADecommissionOrANewLeaderMakeWork() {
    quietCluster();
    apply(LoggedWrite.newBuilder().setDelete(DeleteRequest.newBuilder().setPath("/f")).build());
    assertTrue(monitor.hasWork(), "block 1 released");
    monitor.scan();
    assertEquals(2, drainAll("a", "b", "c").size(), "block 1 deleted from a and b");
    assertTrue(monitor.hasWork(), "a pass that sent commands looks once more");
    monitor.scan();
    assertFalse(monitor.hasWork());

    apply(
        LoggedWrite.newBuilder()
            .setDecommission(DecommissionRequest.newBuilder().setNodeId("a"))
            .build());
    assertTrue(monitor.hasWork(), "a is draining");

    monitor.reset();
    assertTrue(monitor.hasWork(), "leadership moved");
  }

  private static List<DataNodeCommand> concat(List<DataNodeCommand> a, List<DataNodeCommand> b) {
    List<DataNodeCommand> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
