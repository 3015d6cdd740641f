package io.raftfs.meta.datanodes;

import io.raftfs.proto.BlockReport;
import io.raftfs.proto.DataNodeAddress;
import io.raftfs.proto.Heartbeat;
import io.raftfs.proto.StoredBlock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * What this master has heard from the data nodes: liveness, space, load and where each block's
 * replicas are. Soft state, as in GFS and HDFS: it is never logged, every master builds it from the
 * heartbeats and block reports that every data node sends to every master, so a new leader knows
 * the cluster the moment it is elected. Time comes from an injected nanosecond clock.
 *
 * <p>A replica marked corrupt by a reader alone (anyone may send {@code report_bad_replica}) stays
 * marked for {@code unconfirmedCorruptMillis}; if its holder's scrubber has not confirmed it by
 * then, the mark lapses and the replica counts and is offered again. Block reports cannot clear a
 * mark: they list what a node stores, and a node keeps a replica its scrubber found corrupt until
 * told to delete it, so a listing says nothing of the content. A lapsed mark costs a truly bad
 * replica one more failed read, whose reader marks it again; a mark that never lapsed let one false
 * report hold a good replica out of use, the block under-replicated or missing, until a leader
 * change.
 */
public final class DataNodeTracker {
  /**
   * A full report the node built before a placement can reach this master after it, and then hid
   * the placed replica until the node's next report: a file just written listed one replica of
   * three. Placements younger than this survive a full report that does not name them.
   */
  static final long PLACEMENT_GRACE_NANOS = 30_000_000_000L;

  private final LongSupplier nanoClock;
  private final long deadAfterNanos;
  private final Map<String, NodeState> nodes = new ConcurrentHashMap<>();
  // Each block's holders as an immutable set, replaced on change: a few dozen bytes a block where
  // a concurrent set was several hundred, and readers take it without copying.
  private final Map<Long, Set<String>> replicas = new ConcurrentHashMap<>();
  private final long unconfirmedCorruptNanos;
  // Replicas found corrupt (by readers or scrubbers): never offered, kept until replaced or, on a
  // reader's word alone, until the mark lapses.
  private final Map<Long, Map<String, CorruptMark>> corrupt = new ConcurrentHashMap<>();
  // Events that can leave a block with too few, too many or bad replicas: the repair monitor
  // scans at full pace only after one (or a change of node liveness it sees itself).
  private final AtomicLong replicaChanges = new AtomicLong();

  /**
   * @param deadAfterMillis a node without a heartbeat for this long is dead
   * @param unconfirmedCorruptMillis how long a reader's corrupt mark lasts without the holder's
   *     word
   */
  public DataNodeTracker(
      LongSupplier nanoClock, long deadAfterMillis, long unconfirmedCorruptMillis) {
    this.nanoClock = nanoClock;
    this.deadAfterNanos = deadAfterMillis * 1_000_000L;
    this.unconfirmedCorruptNanos = unconfirmedCorruptMillis * 1_000_000L;
  }

  /**
   * A replica marked corrupt since {@code sinceNanos}; {@code byHolder} once the holder itself
   * confirmed it, and then it never lapses: anyone can claim a replica is bad, only the holder
   * knows.
   */
  private record CorruptMark(boolean byHolder, long sinceNanos) {}

  /** A data node as last heard from. */
  public static final class NodeState {
    public final String nodeId;
    volatile Heartbeat lastHeartbeat;
    volatile long lastHeartbeatNanos;
    // Blocks placed on the node since its last heartbeat: load the heartbeat does not show yet.
    volatile int recentAllocations;
    // Until the first full block report this master cannot tell which replicas the node holds.
    volatile boolean fullReportSeen;
    // Blocks placed on the node and not reported by it yet, with when they were placed.
    final Map<Long, Long> unconfirmedPlacements = new ConcurrentHashMap<>();
    // Guarded by this node state, as is the handling of each of its block reports.
    final FullReportChunks fullReport = new FullReportChunks();

    NodeState(String nodeId) {
      this.nodeId = nodeId;
    }

    public Heartbeat heartbeat() {
      return lastHeartbeat;
    }
  }

  public void heartbeat(Heartbeat heartbeat) {
    NodeState node = nodes.computeIfAbsent(heartbeat.getNodeId(), NodeState::new);
    node.lastHeartbeat = heartbeat;
    node.lastHeartbeatNanos = nanoClock.getAsLong();
    node.recentAllocations = 0;
  }

  /**
   * An incremental report, or one chunk of a full one: the node's view is replaced only when the
   * last chunk of a full report arrived.
   */
  public void blockReport(BlockReport report) {
    NodeState node = nodes.computeIfAbsent(report.getNodeId(), NodeState::new);
    // A report from a stalled exchange may still run when the node's next one arrives.
    synchronized (node) {
      if (report.getFull()) {
        long[] blockIds = node.fullReport.add(report);
        if (blockIds != null) {
          replaceReplicas(node, blockIds);
        }
        return;
      }
      for (StoredBlock block : report.getAddedList()) {
        added(node, block.getBlockId());
      }
      for (long blockId : report.getRemovedList()) {
        forget(blockId, node.nodeId);
      }
    }
  }

  /** A whole full report: the node holds exactly {@code blockIds} and its recent placements. */
  private void replaceReplicas(NodeState node, long[] blockIds) {
    String nodeId = node.nodeId; // one instance per node in every holder set
    long now = nanoClock.getAsLong();
    node.unconfirmedPlacements
        .values()
        .removeIf(placedNanos -> now - placedNanos >= PLACEMENT_GRACE_NANOS);
    long[] reported = blockIds.clone();
    Arrays.sort(reported);
    replicas.forEach(
        (blockId, holders) -> {
          if (holders.contains(nodeId)
              && Arrays.binarySearch(reported, blockId) < 0
              && !node.unconfirmedPlacements.containsKey(blockId)) {
            removeHolder(blockId, nodeId);
          }
        });
    for (long blockId : blockIds) {
      added(node, blockId);
    }
    node.fullReportSeen = true;
    replicaChanges.incrementAndGet();
  }

  private void added(NodeState node, long blockId) {
    // A holder not placed through this master: a repair copy, or a surplus replica.
    if (addHolder(blockId, node.nodeId)) {
      replicaChanges.incrementAndGet();
    }
    node.unconfirmedPlacements.remove(blockId);
  }

  /** Forgets one replica: the node deleted it, or was told to. */
  public void forget(long blockId, String nodeId) {
    NodeState node = nodes.get(nodeId);
    if (node != null) {
      node.unconfirmedPlacements.remove(blockId);
    }
    if (removeHolder(blockId, nodeId)) {
      replicaChanges.incrementAndGet();
    }
    Map<String, CorruptMark> bad = corrupt.get(blockId);
    if (bad != null) {
      bad.remove(nodeId);
      if (bad.isEmpty()) {
        corrupt.remove(blockId, bad);
      }
    }
  }

  /** Records a placement at once, so the file's readers find it before the block reports come. */
  public void placed(long blockId, Collection<String> nodeIds) {
    long now = nanoClock.getAsLong();
    for (String nodeId : nodeIds) {
      NodeState node = nodes.get(nodeId);
      addHolder(blockId, node != null ? node.nodeId : nodeId);
      if (node != null) {
        node.recentAllocations++;
        node.unconfirmedPlacements.put(blockId, now);
      }
    }
  }

  /** True if {@code nodeId} was not a holder of the block yet. */
  private boolean addHolder(long blockId, String nodeId) {
    boolean[] added = {false};
    replicas.compute(
        blockId,
        (id, holders) -> {
          if (holders == null) {
            added[0] = true;
            return Set.of(nodeId);
          }
          if (holders.contains(nodeId)) {
            return holders;
          }
          added[0] = true;
          String[] more = holders.toArray(new String[holders.size() + 1]);
          more[holders.size()] = nodeId;
          return Set.of(more);
        });
    return added[0];
  }

  /** True if {@code nodeId} was a holder of the block; a block left without holders is dropped. */
  private boolean removeHolder(long blockId, String nodeId) {
    boolean[] removed = {false};
    replicas.computeIfPresent(
        blockId,
        (id, holders) -> {
          if (!holders.contains(nodeId)) {
            return holders;
          }
          removed[0] = true;
          String[] rest = holders.stream().filter(n -> !n.equals(nodeId)).toArray(String[]::new);
          return rest.length == 0 ? null : Set.of(rest);
        });
    return removed[0];
  }

  /**
   * Marks a replica corrupt: it is not offered to readers and gets replaced.
   *
   * @param byHolder the holder itself reported it (its scrubber), not a reader who may lie
   */
  public void markCorrupt(long blockId, String nodeId, boolean byHolder) {
    long now = nanoClock.getAsLong();
    boolean[] changed = {false};
    corrupt
        .computeIfAbsent(blockId, id -> new ConcurrentHashMap<>())
        .compute(
            nodeId,
            (id, mark) -> {
              if (mark == null || hasLapsed(mark, now)) {
                changed[0] = true;
                return new CorruptMark(byHolder, now);
              }
              if (byHolder && !mark.byHolder()) {
                changed[0] = true;
                return new CorruptMark(true, mark.sinceNanos());
              }
              // A reader repeating its report does not extend the mark.
              return mark;
            });
    if (changed[0]) {
      replicaChanges.incrementAndGet();
    }
  }

  /**
   * Drops the reader's marks that lapsed unconfirmed; each counts as a replica change, so the
   * repair monitor looks again at the blocks they held out of use.
   */
  public void expireCorruptMarks() {
    long now = nanoClock.getAsLong();
    corrupt.forEach(
        (blockId, marks) -> {
          if (marks.values().removeIf(mark -> hasLapsed(mark, now))) {
            replicaChanges.incrementAndGet();
          }
          if (marks.isEmpty()) {
            corrupt.remove(blockId, marks);
          }
        });
  }

  private boolean hasLapsed(CorruptMark mark, long now) {
    return !mark.byHolder() && now - mark.sinceNanos() >= unconfirmedCorruptNanos;
  }

  /**
   * Grows with every event that may call for a repair: a replica forgotten or reported gone, a full
   * block report, a holder this master did not place, a replica marked corrupt.
   */
  public long replicaChanges() {
    return replicaChanges.get();
  }

  /** Marked corrupt by its holder, or by a reader less than the unconfirmed timeout ago. */
  public boolean isCorrupt(long blockId, String nodeId) {
    CorruptMark mark = mark(blockId, nodeId);
    return mark != null && !hasLapsed(mark, nanoClock.getAsLong());
  }

  /** Corrupt by the holder's own word: the replica may go before a good copy replaced it. */
  public boolean isCorruptByHolder(long blockId, String nodeId) {
    CorruptMark mark = mark(blockId, nodeId);
    return mark != null && mark.byHolder();
  }

  private CorruptMark mark(long blockId, String nodeId) {
    Map<String, CorruptMark> bad = corrupt.get(blockId);
    return bad == null ? null : bad.get(nodeId);
  }

  /**
   * Whether the node's own block reports named the replica: a placement alone is a plan, which a
   * node may never carry out (or, claiming much free space, attract on purpose).
   */
  public boolean isConfirmed(long blockId, String nodeId) {
    NodeState node = nodes.get(nodeId);
    return node != null
        && holders(blockId).contains(nodeId)
        && !node.unconfirmedPlacements.containsKey(blockId);
  }

  /** Ids of the nodes that hold the block, alive or not, corrupt or not. */
  public Set<String> holders(long blockId) {
    return replicas.getOrDefault(blockId, Set.of());
  }

  /** Every block id some node reported. */
  public Set<Long> reportedBlocks() {
    return replicas.keySet();
  }

  /** True once every live node has sent this master a full block report. */
  public boolean allLiveNodesReported() {
    for (NodeState node : liveNodes()) {
      if (!node.fullReportSeen) {
        return false;
      }
    }
    return true;
  }

  public boolean isAlive(String nodeId) {
    NodeState node = nodes.get(nodeId);
    return node != null && isAlive(node);
  }

  private boolean isAlive(NodeState node) {
    return node.lastHeartbeat != null
        && nanoClock.getAsLong() - node.lastHeartbeatNanos < deadAfterNanos;
  }

  public List<NodeState> liveNodes() {
    List<NodeState> live = new ArrayList<>();
    for (NodeState node : nodes.values()) {
      if (isAlive(node)) {
        live.add(node);
      }
    }
    return live;
  }

  public Collection<NodeState> allNodes() {
    return nodes.values();
  }

  /** Millis since the node's last heartbeat, or -1 if never heard. */
  public long millisSinceHeartbeat(NodeState node) {
    return node.lastHeartbeat == null
        ? -1
        : (nanoClock.getAsLong() - node.lastHeartbeatNanos) / 1_000_000L;
  }

  /** Pending placements on the node that its last heartbeat does not count yet. */
  public int recentAllocations(NodeState node) {
    return node.recentAllocations;
  }

  /** The block's replicas: live nodes first, then nodes not heard from lately. */
  public List<DataNodeAddress> replicasOf(long blockId) {
    Set<String> holders = replicas.get(blockId);
    if (holders == null) {
      return List.of();
    }
    List<DataNodeAddress> live = new ArrayList<>();
    List<DataNodeAddress> silent = new ArrayList<>();
    for (String nodeId : holders) {
      NodeState node = nodes.get(nodeId);
      if (node == null || node.lastHeartbeat == null || isCorrupt(blockId, nodeId)) {
        continue;
      }
      DataNodeAddress address =
          DataNodeAddress.newBuilder()
              .setNodeId(nodeId)
              .setHttpAddress(node.lastHeartbeat.getHttpAddress())
              .build();
      (isAlive(node) ? live : silent).add(address);
    }
    live.addAll(silent);
    return live;
  }
}
