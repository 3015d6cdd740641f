package io.raftfs.meta.server;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.ratis.protocol.RaftPeerId;

/**
 * Hands the state machine's leader-change notice to every part that reacts to it. The state machine
 * needs it before Raft exists, the reactions need Raft: they are added while the master is
 * assembled, before Raft starts, so none misses a change. Reactions run on Ratis' notifying thread
 * and must be quick.
 */
final class LeaderChanges implements Consumer<RaftPeerId> {
  private final List<Consumer<String>> reactions = new CopyOnWriteArrayList<>();

  /** {@code reaction} is told the new leader's id, or null while there is none. */
  void onChange(Consumer<String> reaction) {
    reactions.add(reaction);
  }

  @Override
  public void accept(RaftPeerId newLeader) {
    String leader = newLeader == null ? null : newLeader.toString();
    for (Consumer<String> reaction : reactions) {
      reaction.accept(leader);
    }
  }
}
