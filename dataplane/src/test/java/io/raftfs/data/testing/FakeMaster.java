package io.raftfs.data.testing;

import com.google.protobuf.InvalidProtocolBufferException;
import io.raftfs.proto.BlockKeys;
import io.raftfs.proto.BlockReport;
import io.raftfs.proto.BlockReportResponse;
import io.raftfs.proto.DataNodeCommand;
import io.raftfs.proto.ErrorCode;
import io.raftfs.proto.Heartbeat;
import io.raftfs.proto.HeartbeatResponse;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaRequestList;
import io.raftfs.proto.MetaResponse;
import io.raftfs.proto.MetaResponseList;
import io.raftfs.proto.RegisteredNodes;
import io.raftfs.proto.StoredBlock;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The master's side of the data node control protocol and nothing else: records heartbeats, block
 * reports and (as leader) registrations, keeps each node's block list as a master would, and
 * answers with a configurable registration flag, the addresses of the nodes that heartbeat it (its
 * "registered nodes", versioned by a counter) when the node's copy is stale and, when playing
 * leader, queued commands. A follower answers every metadata call with {@code NOT_LEADER}.
 */
public final class FakeMaster implements AutoCloseable {
  private final HttpServer server;
  private final List<Heartbeat> heartbeats = new ArrayList<>();
  private BlockKeys blockKeys; // null: tokens are off
  private final List<BlockReport> reports = new ArrayList<>();
  private final List<String> registrations = new ArrayList<>();
  private final Map<String, Map<Long, StoredBlock>> blocksByNode = new HashMap<>();
  private final Map<String, List<DataNodeCommand>> pendingCommands = new HashMap<>();
  private final Set<String> heartbeatAddresses = new TreeSet<>();
  private long addressesVersion;
  private boolean leader;
  private boolean registered = true;

  private FakeMaster(Vertx vertx) {
    this.server = vertx.createHttpServer();
    server.requestHandler(request -> request.body().onSuccess(body -> handle(request, body)));
  }

  public static FakeMaster start(Vertx vertx, boolean leader) throws Exception {
    return start(vertx, leader, 0);
  }

  /** On a given port, e.g. to bring back a master that was closed. */
  public static FakeMaster start(Vertx vertx, boolean leader, int port) throws Exception {
    FakeMaster master = new FakeMaster(vertx);
    master.leader = leader;
    master.server.listen(port, "127.0.0.1").await(10, TimeUnit.SECONDS);
    return master;
  }

  public String address() {
    return "127.0.0.1:" + server.actualPort();
  }

  public synchronized void registered(boolean value) {
    registered = value;
  }

  /** Delivered in the next heartbeat reply to {@code nodeId} (if this master is the leader). */
  public synchronized void command(String nodeId, DataNodeCommand command) {
    pendingCommands.computeIfAbsent(nodeId, n -> new ArrayList<>()).add(command);
  }

  public synchronized List<Heartbeat> heartbeats() {
    return List.copyOf(heartbeats);
  }

  public synchronized List<BlockReport> reports() {
    return List.copyOf(reports);
  }

  /** {@code nodeId@httpAddress} of every registration this master took, in order. */
  public synchronized List<String> registrations() {
    return List.copyOf(registrations);
  }

  /** The blocks this master believes {@code nodeId} holds, from its block reports. */
  public synchronized Set<Long> blocksOf(String nodeId) {
    return Set.copyOf(blocksByNode.getOrDefault(nodeId, Map.of()).keySet());
  }

  @Override
  public void close() throws Exception {
    server.close().await(10, TimeUnit.SECONDS);
  }

  /** From now on, data nodes need tokens signed with these keys (at first, tokens are off). */
  public synchronized void requireBlockTokens(BlockKeys keys) {
    blockKeys = keys;
  }

  private synchronized void handle(HttpServerRequest request, Buffer body) {
    try {
      switch (request.path()) {
        case "/v1/heartbeat" -> {
          Heartbeat heartbeat = Heartbeat.parseFrom(body.getBytes());
          heartbeats.add(heartbeat);
          HeartbeatResponse.Builder reply =
              HeartbeatResponse.newBuilder().setRegistered(registered).setFromLeader(leader);
          if (heartbeatAddresses.add(heartbeat.getHttpAddress())) {
            addressesVersion++;
          }
          if (registered && heartbeat.getRegisteredNodesVersion() != addressesVersion) {
            reply.setRegisteredNodes(
                RegisteredNodes.newBuilder()
                    .setVersion(addressesVersion)
                    .addAllHttpAddresses(heartbeatAddresses));
          }
          if (registered && blockKeys == null) {
            reply.setBlockTokensDisabled(true);
          } else if (registered && heartbeat.getBlockKeysVersion() != blockKeys.getVersion()) {
            reply.setBlockKeys(blockKeys);
          }
          if (leader) {
            reply.addAllCommands(pendingCommands.getOrDefault(heartbeat.getNodeId(), List.of()));
            pendingCommands.remove(heartbeat.getNodeId());
          }
          respond(request, reply.build().toByteArray());
        }
        case "/v1/blockreport" -> {
          BlockReport report = BlockReport.parseFrom(body.getBytes());
          reports.add(report);
          Map<Long, StoredBlock> blocks =
              blocksByNode.computeIfAbsent(report.getNodeId(), n -> new HashMap<>());
          if (report.getFull()) {
            blocks.clear();
          }
          report.getAddedList().forEach(b -> blocks.put(b.getBlockId(), b));
          report.getRemovedList().forEach(blocks::remove);
          respond(
              request,
              BlockReportResponse.newBuilder().setRegistered(registered).build().toByteArray());
        }
        case "/v1/meta" -> {
          MetaResponseList.Builder answers = MetaResponseList.newBuilder();
          for (MetaRequest call : MetaRequestList.parseFrom(body.getBytes()).getRequestsList()) {
            answers.addResponses(answer(call));
          }
          respond(request, answers.build().toByteArray());
        }
        default -> request.response().setStatusCode(404).end();
      }
    } catch (InvalidProtocolBufferException e) {
      request.response().setStatusCode(400).end(e.getMessage());
    }
  }

  private MetaResponse answer(MetaRequest call) {
    if (!leader) {
      return MetaResponse.newBuilder().setError(ErrorCode.NOT_LEADER).build();
    }
    if (call.hasRegisterDataNode()) {
      registrations.add(
          call.getRegisterDataNode().getNodeId()
              + "@"
              + call.getRegisterDataNode().getHttpAddress());
    }
    return MetaResponse.getDefaultInstance();
  }

  private static void respond(HttpServerRequest request, byte[] body) {
    request.response().putHeader("Content-Type", "application/x-protobuf").end(Buffer.buffer(body));
  }
}
