package io.raftfs.meta.server;

import io.raftfs.meta.config.MasterConfig;
import io.raftfs.meta.config.PeerAddress;
import io.raftfs.meta.operation.Responses;
import io.raftfs.meta.raft.RaftGateway;
import io.raftfs.proto.ErrorCode;
import io.raftfs.proto.MetaResponse;
import java.util.concurrent.CompletionException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;

/**
 * What a client is told when this master cannot serve it: {@code NOT_LEADER} with the leader's HTTP
 * address when one is known, {@code UNAVAILABLE} (safe to retry) otherwise.
 */
final class FailureAnswers {
  private final MasterConfig config;
  private final RaftGateway raft;

  FailureAnswers(MasterConfig config, RaftGateway raft) {
    this.config = config;
    this.raft = raft;
  }

  /** The answer for a request whose Raft round failed. */
  MetaResponse failed(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof NotLeaderException) {
      return notLeader();
    }
    return Responses.error(ErrorCode.UNAVAILABLE, "metadata not committed: " + cause);
  }

  MetaResponse notLeader() {
    String leaderId = raft.leaderId();
    PeerAddress leader = leaderId == null ? null : config.peer(leaderId);
    if (leader == null || leader.id().equals(config.id())) {
      // Elected but not ready, or no leader known: nobody to redirect to yet.
      return Responses.error(ErrorCode.UNAVAILABLE, "no leader is ready yet");
    }
    return MetaResponse.newBuilder()
        .setError(ErrorCode.NOT_LEADER)
        .setMessage(config.id() + " is not the leader")
        .setLeaderHint(leader.httpAddress())
        .build();
  }
}
