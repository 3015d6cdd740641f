package io.raftfs.meta.repair;

import io.raftfs.meta.datanodes.DataNodeTracker;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One block's replicas as this master sees them. A replica is <em>live</em> when its node is alive,
 * the replica is not corrupt and the node is not being decommissioned; it is a <em>source</em> for
 * copies when its node is alive and the replica is not corrupt (a draining node still serves).
 *
 * @param live nodes whose replicas count toward the replication
 * @param confirmed the live replicas their nodes' block reports named (not merely placed there):
 *     only these may let another replica go
 * @param sources nodes a copy may be read from
 * @param corrupt alive nodes that hold a corrupt replica
 * @param corruptByHolder the corrupt replicas their holders themselves reported
 * @param holders every node known to hold the block
 */
public record BlockHealth(
    List<String> live,
    List<String> confirmed,
    List<String> sources,
    List<String> corrupt,
    List<String> corruptByHolder,
    Set<String> holders) {

  public static BlockHealth of(long blockId, DataNodeTracker tracker, Set<String> draining) {
    Set<String> holders = tracker.holders(blockId);
    List<String> live = new ArrayList<>();
    List<String> confirmed = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    List<String> corrupt = new ArrayList<>();
    List<String> corruptByHolder = new ArrayList<>();
    for (String node : holders) {
      if (!tracker.isAlive(node)) {
        continue;
      }
      if (tracker.isCorrupt(blockId, node)) {
        corrupt.add(node);
        if (tracker.isCorruptByHolder(blockId, node)) {
          corruptByHolder.add(node);
        }
        continue;
      }
      sources.add(node);
      if (!draining.contains(node)) {
        live.add(node);
        if (tracker.isConfirmed(blockId, node)) {
          confirmed.add(node);
        }
      }
    }
    return new BlockHealth(live, confirmed, sources, corrupt, corruptByHolder, holders);
  }

  /** HEALTHY, UNDER_REPLICATED or MISSING for a block that needs {@code replication} copies. */
  public String state(int replication) {
    if (live.size() >= replication) {
      return "HEALTHY";
    }
    return sources.isEmpty() ? "MISSING" : "UNDER_REPLICATED";
  }
}
