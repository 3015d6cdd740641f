package io.raftfs.data.replication;

import io.raftfs.proto.RegisteredNodes;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where this node may send blocks: down a PUT's pipeline or as a leader-ordered copy. With masters,
 * only to a registered data node, so a request cannot make the node connect wherever it names.
 *
 * <p>The set is the union of the latest one each master sent. Every master's set is a committed
 * state of the same log, so the union holds only addresses that were registered, and it accepts a
 * new node as soon as any master that applied its registration answered; waiting for the leader's
 * word would refuse new nodes through every election, and a deposed leader still says {@code
 * from_leader} until it learns otherwise. A master that stops answering keeps its last set: it
 * named registered nodes then, and dropping it would refuse nodes while no master answers.
 *
 * <p>Until any master sent a set, forwarding is refused as unavailable (503, "retry"): the node
 * cannot tell a registered target from any other yet, and the client retries the block elsewhere as
 * after any failed node. Thread-safe: masters' answers arrive on their links' threads, requests on
 * event loops.
 */
public final class ForwardTargets {
  private final boolean anywhere;
  private final Map<String, RegisteredNodes> byMaster = new ConcurrentHashMap<>();
  private volatile Set<String> registered; // null until a master sent its set

  private ForwardTargets(boolean anywhere) {
    this.anywhere = anywhere;
  }

  /**
   * For a node without masters (unit tests, bench/data): nobody could tell it which nodes are
   * registered, and it serves no cluster whose nodes it could be turned against.
   */
  public static ForwardTargets anywhere() {
    return new ForwardTargets(true);
  }

  /** For a node with masters: nowhere until a master sent the registered nodes. */
  public static ForwardTargets registeredOnly() {
    return new ForwardTargets(false);
  }

  /** The version of the set {@code master} last sent; 0 if none. */
  public long version(String master) {
    RegisteredNodes nodes = byMaster.get(master);
    return nodes == null ? 0 : nodes.getVersion();
  }

  /** Replaces what {@code master} sent before. */
  public synchronized void update(String master, RegisteredNodes nodes) {
    byMaster.put(master, nodes);
    Set<String> union = new HashSet<>();
    byMaster.values().forEach(n -> union.addAll(n.getHttpAddressesList()));
    registered = Set.copyOf(union);
  }

  /** Whether a block may be sent to {@code address} ({@code host:port}, as registered). */
  public boolean accepts(String address) {
    Set<String> known = registered;
    return anywhere || (known != null && known.contains(address));
  }

  /**
   * Passes when every address of {@code targets} may be sent blocks; otherwise an {@link
   * UploadFailure}: 503 before any master sent the set, 403 naming the first unregistered address.
   */
  public void check(List<String> targets) {
    if (anywhere || targets.isEmpty()) {
      return;
    }
    Set<String> known = registered;
    if (known == null) {
      throw new UploadFailure(
          503, "this node has not yet learned the registered data nodes from a master; retry");
    }
    for (String target : targets) {
      if (!known.contains(target)) {
        throw new UploadFailure(403, target + " is not a registered data node");
      }
    }
  }
}
