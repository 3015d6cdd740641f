package io.raftfs.meta.server;

import io.raftfs.meta.datanodes.DataNodeTracker;
import io.raftfs.meta.datanodes.RegisteredNodeCheck;
import io.raftfs.meta.repair.DataNodeCommands;
import io.raftfs.proto.BlockKeys;
import io.raftfs.proto.BlockReport;
import io.raftfs.proto.BlockReportResponse;
import io.raftfs.proto.Heartbeat;
import io.raftfs.proto.HeartbeatResponse;
import io.raftfs.proto.RegisteredNodes;
import java.net.InetAddress;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The data nodes' control channel behind {@code /v1/heartbeat} and {@code /v1/blockreport}: what
 * {@link RegisteredNodeCheck} believes goes into the tracker, the leader's commands go back.
 * Anything else is answered "not registered" and recorded nowhere, so a node id nobody registered
 * never counts as alive or as a holder. A believed node also gets the registered nodes' addresses
 * when its copy is not current: the only places it forwards blocks to; and the block keys when its
 * copy is not current, or that tokens are off. Calls may resolve a host name: run them off the
 * event loop.
 */
final class DataNodeChannel {
  private final RegisteredNodeCheck check;
  private final DataNodeTracker tracker;
  private final DataNodeCommands commands;
  private final BooleanSupplier isLeader;
  private final Supplier<RegisteredNodes> registeredNodes;
  private final Supplier<BlockKeys> blockKeys;

  /** A channel of a master that issues no block tokens (tests). */
  DataNodeChannel(
      RegisteredNodeCheck check,
      DataNodeTracker tracker,
      DataNodeCommands commands,
      BooleanSupplier isLeader,
      Supplier<RegisteredNodes> registeredNodes) {
    this(check, tracker, commands, isLeader, registeredNodes, null);
  }

  /**
   * @param blockKeys the block keys to send the data nodes; null when tokens are off
   */
  DataNodeChannel(
      RegisteredNodeCheck check,
      DataNodeTracker tracker,
      DataNodeCommands commands,
      BooleanSupplier isLeader,
      Supplier<RegisteredNodes> registeredNodes,
      Supplier<BlockKeys> blockKeys) {
    this.blockKeys = blockKeys;
    this.check = check;
    this.tracker = tracker;
    this.commands = commands;
    this.isLeader = isLeader;
    this.registeredNodes = registeredNodes;
  }

  /** A heartbeat that arrived over a connection from {@code peer}. */
  HeartbeatResponse heartbeat(Heartbeat heartbeat, InetAddress peer) {
    boolean leader = isLeader.getAsBoolean();
    HeartbeatResponse.Builder response = HeartbeatResponse.newBuilder().setFromLeader(leader);
    if (!check.acceptsHeartbeat(heartbeat, peer)) {
      return response.setRegistered(false).build();
    }
    tracker.heartbeat(heartbeat);
    response.setRegistered(true);
    RegisteredNodes registered = registeredNodes.get();
    if (registered.getVersion() != heartbeat.getRegisteredNodesVersion()) {
      response.setRegisteredNodes(registered);
    }
    if (blockKeys == null) {
      response.setBlockTokensDisabled(true);
    } else {
      BlockKeys keys = blockKeys.get();
      if (keys.getVersion() != heartbeat.getBlockKeysVersion()) {
        response.setBlockKeys(keys);
      }
    }
    if (leader) {
      response.addAllCommands(commands.drain(heartbeat.getNodeId()));
    }
    return response.build();
  }

  /** A block report (or one chunk of a full one) from {@code peer}. */
  BlockReportResponse blockReport(BlockReport report, InetAddress peer) {
    boolean accepted = check.acceptsReport(report.getNodeId(), peer);
    if (accepted) {
      tracker.blockReport(report);
    }
    return BlockReportResponse.newBuilder().setRegistered(accepted).build();
  }
}
