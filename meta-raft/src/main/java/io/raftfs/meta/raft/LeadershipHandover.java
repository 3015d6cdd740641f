package io.raftfs.meta.raft;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a leader does before it stops in an orderly way: it hands leadership to its most up-to-date
 * live follower (Ratis' leadership transfer) and waits until that follower is elected. Clients then
 * find a leader as soon as the stopping master answers {@code NOT_LEADER}, instead of waiting out
 * an election timeout and an election after it is gone, as after a crash.
 *
 * <p>Only a follower heard from within an election timeout is chosen: a dead or partitioned one
 * could not be elected, and waiting for it would only delay the stop. Without one, or when the
 * transfer fails or times out, the master stops anyway and the others elect a leader as they would
 * after a crash.
 */
public final class LeadershipHandover {
  private static final Logger LOG = LoggerFactory.getLogger(LeadershipHandover.class);

  /** One follower as the leader sees it. */
  public record Follower(String id, long matchIndex, long silentMillis) {}

  private final RaftGateway raft;
  private final String selfId;
  private final long liveWithinMillis;

  /**
   * @param liveWithinMillis a follower whose last reply is older than this is not chosen
   */
  public LeadershipHandover(RaftGateway raft, String selfId, long liveWithinMillis) {
    this.raft = raft;
    this.selfId = selfId;
    this.liveWithinMillis = liveWithinMillis;
  }

  /**
   * If this master leads, hands leadership over and waits up to {@code timeout} for the new leader.
   *
   * @return the new leader's id (the chosen follower, or the other one if it won the election the
   *     handover started); empty when this master did not lead, no follower could take over, or no
   *     other master led in time
   */
  public Optional<String> run(Duration timeout) {
    if (timeout.isZero()) {
      return Optional.empty();
    }
    Optional<Follower> target = choose(raft.followers(), liveWithinMillis);
    if (target.isEmpty()) {
      return Optional.empty();
    }
    String next = target.get().id();
    long start = System.nanoTime();
    try {
      // Once it stepped down, this master would stand again at its next election timeout, and it
      // can win: its log is the most complete. On a loaded machine it did, ahead of the chosen
      // follower, and then stopped as leader after all.
      raft.stopStandingForElection().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      boolean elected =
          raft.transferLeadership(next, timeout)
              // Ratis ends the transfer at the timeout itself; this only guards against a reply
              // that never comes.
              .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      if (elected) {
        LOG.info("master {} stopping: handed leadership over to {} in {} ms", selfId, next, millis);
        return Optional.of(next);
      }
      // Ratis counts only the chosen follower; under load the other one sometimes won the
      // election the handover started. Either way this master no longer leads.
      String leader = raft.leaderId();
      if (leader != null && !leader.equals(selfId)) {
        LOG.info(
            "master {} stopping: handed leadership over to {} in {} ms ({} was asked)",
            selfId,
            leader,
            millis,
            next);
        return Optional.of(leader);
      }
      LOG.warn("master {} stopping: {} was not elected within {} ms", selfId, next, millis);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      LOG.warn(
          "master {} stopping: handing leadership to {} failed: {}", selfId, next, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Optional.empty();
  }

  /**
   * The follower with the most of the log among those heard from within {@code liveWithinMillis}:
   * it needs the fewest entries before it can stand, and only it is sure to win the vote.
   */
  static Optional<Follower> choose(List<Follower> followers, long liveWithinMillis) {
    return followers.stream()
        .filter(follower -> follower.silentMillis() <= liveWithinMillis)
        .max(Comparator.comparingLong(Follower::matchIndex));
  }
}
