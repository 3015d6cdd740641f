package io.raftfs.meta.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.meta.datanodes.DataNodeTracker;
import io.raftfs.meta.datanodes.RegisteredNodeCheck;
import io.raftfs.meta.operation.Operations;
import io.raftfs.meta.repair.DataNodeCommands;
import io.raftfs.meta.repair.ReleasedBlocks;
import io.raftfs.meta.statemachine.MetaStore;
import io.raftfs.proto.BlockReport;
import io.raftfs.proto.DataNodeCommand;
import io.raftfs.proto.DeleteBlocksCommand;
import io.raftfs.proto.Heartbeat;
import io.raftfs.proto.HeartbeatResponse;
import io.raftfs.proto.LoggedWrite;
import io.raftfs.proto.MetaBatch;
import io.raftfs.proto.RegisterDataNodeRequest;
import io.raftfs.proto.StoredBlock;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Heartbeats and block reports are believed only from the registered node they name. */
class DataNodeChannelTest {
  private static final InetAddress HOST_A = address("10.0.0.1");
  private static final InetAddress ELSEWHERE = address("10.0.0.66");

  private final DataNodeTracker tracker = new DataNodeTracker(() -> 0, 10_000, 600_000);
  private final DataNodeCommands commands = new DataNodeCommands();
  private final AtomicInteger resolutions = new AtomicInteger();
  private MetaStore store;
  private DataNodeChannel channel;

  @BeforeEach
  void setUp() {
    store = new MetaStore(Operations.ALL, new ReleasedBlocks());
    register("a", "dn-a.example:9881");
    RegisteredNodeCheck check =
        new RegisteredNodeCheck(
            store::registeredAddress,
            host -> {
              resolutions.incrementAndGet();
              if (!host.equals("dn-a.example")) {
                throw new UnknownHostException(host);
              }
              return Set.of(HOST_A);
            });
    channel = new DataNodeChannel(check, tracker, commands, () -> true, store::registeredNodes);
    commands.add(
        "a",
        DataNodeCommand.newBuilder()
            .setDeleteBlocks(DeleteBlocksCommand.newBuilder().addBlockIds(7))
            .build());
  }

  @Test
  void theRegisteredNodeIsBelievedAndItsHostResolvedOnce() {
    assertTrue(channel.heartbeat(heartbeat("a", "dn-a.example:9881"), HOST_A).getRegistered());
    assertTrue(channel.blockReport(full("a", 7), HOST_A).getRegistered());
    assertTrue(channel.heartbeat(heartbeat("a", "dn-a.example:9881"), HOST_A).getRegistered());

    assertTrue(tracker.isAlive("a"));
    assertEquals(Set.of("a"), tracker.holders(7));
    assertEquals(1, resolutions.get());
  }

  @Test
  void aHeartbeatClaimingAnotherAddressNeitherRedirectsTheNodeNorTakesItsCommands() {
    var answer = channel.heartbeat(heartbeat("a", "evil.example:9881"), HOST_A);

    assertFalse(answer.getRegistered());
    assertEquals(0, answer.getCommandsCount());
    assertFalse(tracker.isAlive("a"));
    assertEquals(1, commands.drain("a").size(), "the command waits for the real node");
  }

  @Test
  void aHeartbeatFromAnotherHostIsRefused() {
    var answer = channel.heartbeat(heartbeat("a", "dn-a.example:9881"), ELSEWHERE);

    assertFalse(answer.getRegistered());
    assertEquals(0, answer.getCommandsCount());
    assertFalse(tracker.isAlive("a"));
  }

  @Test
  void anEmptyFullReportFromAnotherHostForgetsNothing() {
    channel.heartbeat(heartbeat("a", "dn-a.example:9881"), HOST_A);
    channel.blockReport(full("a", 7), HOST_A);

    assertFalse(channel.blockReport(full("a"), ELSEWHERE).getRegistered());

    assertEquals(Set.of("a"), tracker.holders(7));
  }

  @Test
  void anUnregisteredIdNeverCountsAsAliveOrAsAHolder() {
    assertFalse(channel.heartbeat(heartbeat("z", "dn-a.example:9881"), HOST_A).getRegistered());
    assertFalse(channel.blockReport(full("z", 8), HOST_A).getRegistered());

    assertFalse(tracker.isAlive("z"));
    assertEquals(Set.of(), tracker.holders(8));
    assertEquals(List.of(), tracker.liveNodes());
  }

  @Test
  void registeredAddressesAreSentOnlyWhenTheNodesCopyIsNotCurrent() {
    HeartbeatResponse first = channel.heartbeat(heartbeat("a", "dn-a.example:9881"), HOST_A);
    assertEquals(List.of("dn-a.example:9881"), first.getRegisteredNodes().getHttpAddressesList());
    long version = first.getRegisteredNodes().getVersion();
    assertTrue(version != 0, "0 means the node has none");

    Heartbeat current =
        heartbeat("a", "dn-a.example:9881").toBuilder().setRegisteredNodesVersion(version).build();
    assertFalse(channel.heartbeat(current, HOST_A).hasRegisteredNodes());

    register("b", "dn-b.example:9881");
    HeartbeatResponse changed = channel.heartbeat(current, HOST_A);
    assertEquals(
        List.of("dn-a.example:9881", "dn-b.example:9881"),
        changed.getRegisteredNodes().getHttpAddressesList());
    assertTrue(changed.getRegisteredNodes().getVersion() != version);
  }

  @Test
  void aHeartbeatNotBelievedLearnsNoAddresses() {
    assertFalse(
        channel.heartbeat(heartbeat("a", "dn-a.example:9881"), ELSEWHERE).hasRegisteredNodes());
  }

  private void register(String nodeId, String httpAddress) {
    store.apply(
        MetaBatch.newBuilder()
            .setTimestampMillis(1)
            .addRequests(
                LoggedWrite.newBuilder()
                    .setRegisterDataNode(
                        RegisterDataNodeRequest.newBuilder()
                            .setNodeId(nodeId)
                            .setHttpAddress(httpAddress)))
            .build());
  }

  private static Heartbeat heartbeat(String nodeId, String httpAddress) {
    return Heartbeat.newBuilder()
        .setNodeId(nodeId)
        .setHttpAddress(httpAddress)
        .setCapacityBytes(1 << 30)
        .setFreeBytes(1 << 30)
        .build();
  }

  private static BlockReport full(String nodeId, long... blockIds) {
    BlockReport.Builder report = BlockReport.newBuilder().setNodeId(nodeId).setFull(true);
    for (long blockId : blockIds) {
      report.addAdded(StoredBlock.newBuilder().setBlockId(blockId).setLength(1));
    }
    return report.build();
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
