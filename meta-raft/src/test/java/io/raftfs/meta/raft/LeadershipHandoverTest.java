package io.raftfs.meta.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.raftfs.meta.raft.LeadershipHandover.Follower;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LeadershipHandoverTest {

  @Test
  void choosesTheLiveFollowerWithTheMostOfTheLog() {
    List<Follower> followers = List.of(new Follower("m2", 90, 50), new Follower("m3", 120, 30));

    assertEquals(Optional.of("m3"), LeadershipHandover.choose(followers, 400).map(Follower::id));
  }

  @Test
  void passesOverAFollowerNotHeardFromWithinAnElectionTimeout() {
    // m3 has more of the log but went silent: it may be dead and would not win the vote.
    List<Follower> followers = List.of(new Follower("m2", 90, 50), new Follower("m3", 120, 5_000));

    assertEquals(Optional.of("m2"), LeadershipHandover.choose(followers, 400).map(Follower::id));
  }

  @Test
  void choosesNobodyWhenEveryFollowerIsSilent() {
    List<Follower> followers =
        List.of(new Follower("m2", 90, 1_000), new Follower("m3", 120, 5_000));

    assertEquals(Optional.empty(), LeadershipHandover.choose(followers, 400));
    assertEquals(Optional.empty(), LeadershipHandover.choose(List.of(), 400));
  }
}
