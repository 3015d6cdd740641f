package io.raftfs.meta.server;

import io.raftfs.meta.metrics.MetaOperationRecorder;
import io.raftfs.meta.namespace.NamespaceException;
import io.raftfs.meta.operation.ClientOperation;
import io.raftfs.meta.operation.MasterContext;
import io.raftfs.meta.operation.Operations;
import io.raftfs.meta.operation.Responses;
import io.raftfs.meta.raft.RaftGateway;
import io.raftfs.meta.users.Identity;
import io.raftfs.proto.ErrorCode;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaResponse;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;

/**
 * Routes each {@link MetaRequest} to its operation ({@link Operations}) and records how it was
 * answered. Only the leader serves; every other master answers {@code NOT_LEADER} with the leader's
 * HTTP address, except for the operations any master answers.
 */
final class MetaService {
  // The metric name of a request that names no operation (as the op case's name, lower case).
  private static final String NO_OPERATION = "op_not_set";

  private final Operations operations;
  private final MasterContext master;
  private final RaftGateway raft;
  private final FailureAnswers failures;
  private final MetaOperationRecorder recorder;

  MetaService(
      Operations operations,
      MasterContext master,
      RaftGateway raft,
      FailureAnswers failures,
      MetaOperationRecorder recorder) {
    this.operations = operations;
    this.master = master;
    this.raft = raft;
    this.failures = failures;
    this.recorder = recorder;
  }

  /**
   * Answers {@code request}, which arrived at {@code arrivedNanos} from {@code caller} (null if
   * unknown) signed by {@code identity}; never completes failed.
   */
  CompletableFuture<MetaResponse> handle(
      MetaRequest request, long arrivedNanos, InetAddress caller, Identity identity) {
    ClientOperation operation = operations.forRequest(request.getOpCase());
    return answer(operation, request, caller, identity)
        .handle(
            (response, failure) -> {
              MetaResponse answer = failure == null ? response : failures.failed(failure);
              recorder.operation(
                  operation == null ? NO_OPERATION : operation.metricName(),
                  answer.getError().name(),
                  System.nanoTime() - arrivedNanos);
              return answer;
            });
  }

  /** True while this master is the leader and ready to serve. */
  boolean isLeader() {
    return raft.isLeader();
  }

  /** The answer that sends a client to the leader, or says none is ready. */
  MetaResponse notLeader() {
    return failures.notLeader();
  }

  private CompletableFuture<MetaResponse> answer(
      ClientOperation operation, MetaRequest request, InetAddress caller, Identity identity) {
    if (operation == null) {
      return Responses.done(
          Responses.error(ErrorCode.INVALID_ARGUMENT, "request names no operation"));
    }
    if (operation.leaderOnly() && !raft.isLeader()) {
      return Responses.done(failures.notLeader());
    }
    try {
      return operation.handle(request, master, caller, identity);
    } catch (NamespaceException e) {
      return Responses.done(Responses.error(e.code(), e.getMessage()));
    }
  }
}
