package io.raftfs.meta.repair;

import io.raftfs.meta.datanodes.DataNodeTracker;
import io.raftfs.meta.placement.BlockPlacement;
import io.raftfs.meta.statemachine.MetaStore;
import io.raftfs.proto.BlockInfo;
import io.raftfs.proto.CopyBlockCommand;
import io.raftfs.proto.DataNodeAddress;
import io.raftfs.proto.DataNodeCommand;
import io.raftfs.proto.DeleteBlocksCommand;
import io.raftfs.proto.StoredBlock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import java.util.function.LongUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's repair loop, one {@link #scan} at a time. From the replicated block table and the
 * soft state it decides, and queues as heartbeat-reply commands:
 *
 * <ul>
 *   <li>copies for blocks with fewer live replicas than their file's replication, the most
 *       endangered first (1 live before 2), from a good replica to a new node, with at most {@code
 *       maxCopiesPerNode} copies in flight per source;
 *   <li>deletion of corrupt replicas once the block is fully replicated without them, and of
 *       surplus replicas (a node came back), counting only replicas their nodes' block reports
 *       confirmed (a placement is a plan, not a copy); also of the corrupt replicas their holders
 *       themselves reported of a block that has a good replica but no node left to copy it to,
 *       since their nodes are then the only targets (a three-node cluster with replication 3). A
 *       reader's report alone never costs a replica before its replacement exists: it may lie.
 *   <li>deletion of replicas no committed file references, only once no commit can name their block
 *       any more (the log says so: {@link MetaStore#fate}): at once for blocks of deleted or
 *       overwritten files; for others (failed or slow uploads) once their id was handed out more
 *       than {@code orphanGraceMillis} ago, after the monitor retired it through the log ({@code
 *       retire_blocks}, one entry for all ids below a bound). Ids no master ever handed out go
 *       after the grace period. A slow client's commit of a retired block is refused, so no
 *       acknowledged file can lose its replicas to this.
 * </ul>
 *
 * It waits (safe mode) until it has been leader-capable for a dead-node timeout and every live node
 * has sent this master a full block report, so a fresh master never mistakes "not heard yet" for
 * "lost". Soft state only: a new leader rebuilds all of it from its own scan.
 */
public final class ReplicationMonitor {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicationMonitor.class);

  private final MetaStore store;
  private final DataNodeTracker tracker;
  private final BlockPlacement placement;
  private final DataNodeCommands commands;
  private final LongSupplier nanoClock;
  private final Settings settings;
  private final long startedNanos;
  private final Map<Long, List<PendingCopy>> pendingCopies = new HashMap<>();
  private final Map<Long, Long> unreferencedSince = new HashMap<>();
  private final ReleasedBlocks released;
  private final LongUnaryOperator handedOutBefore;
  private final LongFunction<CompletableFuture<?>> retire;
  // The retirement last sent to the log, until a pass after it completed; or null.
  private CompletableFuture<?> retiring;
  private volatile Summary summary = Summary.EMPTY;
  private volatile CopyListener copyListener = (blockId, target) -> {};
  private volatile CopyTokens copyTokens = (blockId, target) -> "";
  // What the last pass saw, so hasWork() can tell whether another pass could find anything new.
  private boolean lastPassFoundWork = true;
  private long replicaChangesSeen = -1;
  private Set<String> liveSeen = Set.of();
  private Set<String> drainingSeen = Set.of();

  /** Signs the WRITE token a copy command carries for its target. */
  @FunctionalInterface
  public interface CopyTokens {
    /**
     * The token for writing {@code blockId} to {@code target} alone, "" if none is needed, or null
     * if none can be signed now (the copy waits for a later pass).
     */
    String token(long blockId, DataNodeAddress target);
  }

  /** Hears about each ordered copy that a block report confirmed. */
  @FunctionalInterface
  public interface CopyListener {
    void copied(long blockId, String target);
  }

  /**
   * @param safeModeMillis how long after start the monitor only watches
   * @param maxCopiesPerNode copies in flight per source node
   * @param copyTimeoutMillis a copy not confirmed by a block report by then is tried again
   * @param orphanGraceMillis how long an unreferenced replica may live (uploads in progress)
   */
  public record Settings(
      long safeModeMillis, int maxCopiesPerNode, long copyTimeoutMillis, long orphanGraceMillis) {}

  /** What the last scan found, for the status page and metrics. */
  public record Summary(
      long underReplicated,
      long missing,
      long corruptReplicas,
      long pendingCopies,
      Map<String, Long> blocksToDrain) {
    static final Summary EMPTY = new Summary(0, 0, 0, 0, Map.of());
  }

  /**
   * How the monitor retires the ids of uploads older than the grace period.
   *
   * @param handedOutBefore for a time (nanos of the monitor's clock), an id below which every id
   *     was handed out at or before it ({@link io.raftfs.meta.placement.BlockIdPool})
   * @param retire appends a {@code retire_blocks} entry for the ids below its argument; completes
   *     once applied here
   */
  public record Retirement(
      LongUnaryOperator handedOutBefore, LongFunction<CompletableFuture<?>> retire) {}

  private record PendingCopy(String source, String target, long deadlineNanos) {}

  private record Need(long blockId, long blockSize, int missing, int live, BlockHealth health) {}

  public ReplicationMonitor(
      MetaStore store,
      DataNodeTracker tracker,
      BlockPlacement placement,
      DataNodeCommands commands,
      LongSupplier nanoClock,
      Settings settings,
      ReleasedBlocks released,
      Retirement retirement) {
    this.store = store;
    this.released = released;
    this.handedOutBefore = retirement.handedOutBefore();
    this.retire = retirement.retire();
    this.tracker = tracker;
    this.placement = placement;
    this.commands = commands;
    this.nanoClock = nanoClock;
    this.settings = settings;
    this.startedNanos = nanoClock.getAsLong();
  }

  public void onCopyConfirmed(CopyListener listener) {
    this.copyListener = listener;
  }

  /** Where copy commands get their tokens; without one they carry none. */
  public void copyTokens(CopyTokens tokens) {
    this.copyTokens = tokens;
  }

  public Summary summary() {
    return summary;
  }

  /** Forgets all in-flight decisions: leadership moved. */
  public synchronized void reset() {
    pendingCopies.clear();
    unreferencedSince.clear();
    retiring = null;
    summary = Summary.EMPTY;
    lastPassFoundWork = true;
  }

  /**
   * Whether a pass now could find something to repair or delete: the last one did (or was held by
   * safe mode), a copy is in flight, blocks were released, or since the last pass a node came or
   * went, a decommission started or ended, or the tracker saw a replica change (a reader's corrupt
   * mark lapsing is one; this call lets the lapsed ones go). False means a pass could only find
   * orphans whose grace period ran out.
   */
  public synchronized boolean hasWork() {
    // A reader's corrupt mark that lapsed gives a replica back, which can end a missing block.
    tracker.expireCorruptMarks();
    return lastPassFoundWork
        || !released.isEmpty()
        || tracker.replicaChanges() != replicaChangesSeen
        || !liveNodeIds().equals(liveSeen)
        || !store.decommissioning().equals(drainingSeen);
  }

  private Set<String> liveNodeIds() {
    Set<String> ids = new HashSet<>();
    tracker.liveNodes().forEach(node -> ids.add(node.nodeId));
    return ids;
  }

  /** One pass: decide and queue commands. Call on the leader only. */
  public synchronized void scan() {
    pass(true);
  }

  /**
   * On a follower: the same {@link #summary()} as a leader's scan (every master hears every data
   * node), so the status any master answers shows real repair and drain figures; no commands.
   * Released blocks are dropped: only a leader acts on them, and the log retired them, so a future
   * leader deletes their replicas on its first pass.
   */
  public synchronized void observe() {
    released.clear();
    pendingCopies.clear();
    unreferencedSince.clear();
    pass(false);
  }

  private void pass(boolean leader) {
    long now = nanoClock.getAsLong();
    // Taken before looking: a change during the pass is seen again by the next one.
    replicaChangesSeen = tracker.replicaChanges();
    liveSeen = liveNodeIds();
    Set<String> draining = store.decommissioning();
    drainingSeen = draining;
    lastPassFoundWork = true;
    if (now - startedNanos < settings.safeModeMillis() * 1_000_000L
        || !tracker.allLiveNodesReported()) {
      return;
    }
    if (leader) {
      expirePendingCopies(now);
    }
    List<Need> needs = new ArrayList<>();
    Map<String, Long> toDrain = new HashMap<>();
    Map<String, List<Long>> deletions = new HashMap<>();
    long[] counts = new long[3]; // under-replicated, missing, corrupt replicas
    store.forEachBlock(
        (blockId, replication, blockSize) -> {
          BlockHealth health = BlockHealth.of(blockId, tracker, draining);
          counts[2] += health.corrupt().size();
          int live = health.live().size();
          if (live < replication) {
            if (health.sources().isEmpty()) {
              counts[1]++;
            } else {
              counts[0]++;
              needs.add(new Need(blockId, blockSize, replication - live, live, health));
            }
            for (String node : health.sources()) {
              if (draining.contains(node)) {
                toDrain.merge(node, 1L, Long::sum);
              }
            }
            return;
          }
          int spare = health.confirmed().size() - replication;
          if (spare < 0) {
            return; // enough replicas placed, but not all of them reported yet
          }
          health
              .corrupt()
              .forEach(
                  node -> deletions.computeIfAbsent(node, n -> new ArrayList<>()).add(blockId));
          for (String surplus : surplus(health.confirmed(), spare)) {
            deletions.computeIfAbsent(surplus, n -> new ArrayList<>()).add(blockId);
          }
        });
    if (leader) {
      scheduleCopies(needs, now, deletions);
      collectOrphans(now, deletions);
      deletions.forEach(this::sendDeletes);
    }
    lastPassFoundWork =
        !needs.isEmpty()
            || !deletions.isEmpty()
            || !pendingCopies.isEmpty()
            || (leader && retiring != null);
    long pending = pendingCopies.values().stream().mapToLong(List::size).sum();
    draining.forEach(node -> toDrain.putIfAbsent(node, 0L));
    summary = new Summary(counts[0], counts[1], counts[2], pending, Map.copyOf(toDrain));
  }

  private void expirePendingCopies(long now) {
    pendingCopies
        .entrySet()
        .removeIf(
            entry -> {
              Set<String> holders = tracker.holders(entry.getKey());
              entry
                  .getValue()
                  .removeIf(
                      copy -> {
                        if (holders.contains(copy.target())) {
                          copyListener.copied(entry.getKey(), copy.target());
                          return true;
                        }
                        return now - copy.deadlineNanos() > 0;
                      });
              return entry.getValue().isEmpty();
            });
  }

  /** The replicas to give up when a block has {@code count} too many: fullest nodes first. */
  private List<String> surplus(List<String> live, int count) {
    if (count <= 0) {
      return List.of();
    }
    List<String> byFullness = new ArrayList<>(live);
    byFullness.sort(Comparator.comparingLong(this::freeBytes));
    return byFullness.subList(0, count);
  }

  private long freeBytes(String nodeId) {
    for (DataNodeTracker.NodeState node : tracker.liveNodes()) {
      if (node.nodeId.equals(nodeId)) {
        return node.heartbeat().getFreeBytes();
      }
    }
    return Long.MAX_VALUE;
  }

  private void scheduleCopies(List<Need> needs, long now, Map<String, List<Long>> deletions) {
    needs.sort(Comparator.comparingInt(Need::live));
    Map<String, Integer> copiesBySource = new HashMap<>();
    pendingCopies
        .values()
        .forEach(
            list -> list.forEach(copy -> copiesBySource.merge(copy.source(), 1, Integer::sum)));
    for (Need need : needs) {
      List<PendingCopy> inFlight =
          pendingCopies.computeIfAbsent(need.blockId(), id -> new ArrayList<>());
      int wanted = need.missing() - inFlight.size();
      for (int i = 0; i < wanted; i++) {
        Optional<String> source =
            need.health().sources().stream()
                .filter(node -> copiesBySource.getOrDefault(node, 0) < settings.maxCopiesPerNode())
                .min(Comparator.comparingInt(node -> copiesBySource.getOrDefault(node, 0)));
        if (source.isEmpty()) {
          break;
        }
        Set<String> exclude = new HashSet<>(need.health().holders());
        inFlight.forEach(copy -> exclude.add(copy.target()));
        Optional<List<DataNodeAddress>> target = placement.choose(1, need.blockSize(), exclude);
        BlockInfo block = store.block(need.blockId());
        if (target.isEmpty() && inFlight.isEmpty() && !need.health().corruptByHolder().isEmpty()) {
          // Only nodes holding a corrupt copy are left: free those whose holders said so, the
          // next scan copies there.
          need.health()
              .corruptByHolder()
              .forEach(
                  node ->
                      deletions.computeIfAbsent(node, n -> new ArrayList<>()).add(need.blockId()));
          break;
        }
        if (target.isEmpty() || block == null) {
          break;
        }
        DataNodeAddress to = target.get().get(0);
        String token = copyTokens.token(block.getBlockId(), to);
        if (token == null) {
          break;
        }
        commands.add(
            source.get(),
            DataNodeCommand.newBuilder()
                .setCopyBlock(
                    CopyBlockCommand.newBuilder()
                        .setBlock(
                            StoredBlock.newBuilder()
                                .setBlockId(block.getBlockId())
                                .setLength(block.getLength())
                                .setCrc32C(block.getCrc32C()))
                        .setTarget(to)
                        .setToken(token))
                .build());
        inFlight.add(
            new PendingCopy(
                source.get(), to.getNodeId(), now + settings.copyTimeoutMillis() * 1_000_000L));
        copiesBySource.merge(source.get(), 1, Integer::sum);
        LOG.info(
            "block {}: copy {} -> {} ({} live)",
            need.blockId(),
            source.get(),
            to.getNodeId(),
            need.live());
      }
      if (inFlight.isEmpty()) {
        pendingCopies.remove(need.blockId());
      }
    }
  }

  /**
   * Deletes the replicas of retired blocks, and retires (through the log) the ids handed out more
   * than the grace period ago that unreferenced replicas still carry: the next pass after that
   * entry is applied deletes them. Nothing is deleted on the monitor's word alone, so a commit that
   * wins the race against the retirement keeps its blocks, and one that loses is refused.
   */
  private void collectOrphans(long now, Map<String, List<Long>> deletions) {
    released.drain(); // they only woke this pass: the state says they are retired
    if (retiring != null && retiring.isDone()) {
      retiring = null; // applied (or failed): this pass sees the state it left
    }
    long graceNanos = settings.orphanGraceMillis() * 1_000_000L;
    long retirable = handedOutBefore.applyAsLong(now - graceNanos);
    long toRetireBelow = 0;
    Set<Long> seen = new HashSet<>();
    for (Long blockId : tracker.reportedBlocks()) {
      seen.add(blockId);
      MetaStore.BlockFate fate = store.fate(blockId);
      if (fate != MetaStore.BlockFate.NEVER_ALLOCATED) {
        unreferencedSince.remove(blockId);
      }
      switch (fate) {
        case REFERENCED -> {}
        case RETIRED -> deleteEverywhere(blockId, deletions);
        case UNCOMMITTED -> {
          if (blockId < retirable) {
            toRetireBelow = retirable;
          }
        }
        case NEVER_ALLOCATED -> {
          // No master handed it out (a node's stray or made-up block): no commit can name it now.
          long since = unreferencedSince.computeIfAbsent(blockId, id -> now);
          if (now - since >= graceNanos) {
            deleteEverywhere(blockId, deletions);
            unreferencedSince.remove(blockId);
          }
        }
      }
    }
    unreferencedSince.keySet().retainAll(seen);
    if (toRetireBelow == 0 && store.retiredIdsBelow(retirable)) {
      toRetireBelow = retirable; // moving the bound keeps the set of released ids small
    }
    if (retiring == null && toRetireBelow > store.retiredBelow()) {
      long below = toRetireBelow;
      LOG.info("retiring block ids below {}: handed out over the orphan grace ago", below);
      retiring =
          retire
              .apply(below)
              .whenComplete(
                  (ignored, failure) -> {
                    if (failure != null) {
                      LOG.info("retiring block ids below {} failed: {}", below, failure.toString());
                    }
                  });
    }
  }

  private void deleteEverywhere(long blockId, Map<String, List<Long>> deletions) {
    for (String node : tracker.holders(blockId)) {
      deletions.computeIfAbsent(node, n -> new ArrayList<>()).add(blockId);
    }
  }

  private void sendDeletes(String nodeId, List<Long> blockIds) {
    commands.add(
        nodeId,
        DataNodeCommand.newBuilder()
            .setDeleteBlocks(DeleteBlocksCommand.newBuilder().addAllBlockIds(blockIds))
            .build());
    // Forget them now: the node's incremental report will confirm, and nobody is sent there.
    blockIds.forEach(blockId -> tracker.forget(blockId, nodeId));
    LOG.info("data node {}: delete {} replica(s)", nodeId, blockIds.size());
  }
}
