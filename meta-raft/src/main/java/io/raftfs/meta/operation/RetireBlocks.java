package io.raftfs.meta.operation;

import static io.raftfs.meta.operation.Responses.ok;

import io.raftfs.meta.statemachine.WritableState;
import io.raftfs.proto.LoggedWrite;
import io.raftfs.proto.MetaBatch;
import io.raftfs.proto.MetaResponse;
import io.raftfs.proto.RetireBlocksRequest;

/**
 * {@code retire_blocks}: the leader gives up on the block ids it handed out more than the orphan
 * grace period ago. From this entry on, in log order on every replica, {@link CommitFile} refuses a
 * block id below {@code below} that no file holds, so the replicas of such a block are garbage for
 * good and the repair loop may delete them: a commit and the deletion of its blocks can never both
 * succeed. The leader writes one only when it has orphan replicas to delete; no client request maps
 * to it.
 */
public final class RetireBlocks implements LoggedOperation {
  RetireBlocks() {}

  /** A log entry of its own, like {@link ReserveBlockIds#entry}: no client write waits on it. */
  public static MetaBatch entry(long below, long nowMillis) {
    return MetaBatch.newBuilder()
        .setTimestampMillis(nowMillis)
        .addRequests(
            LoggedWrite.newBuilder()
                .setRetireBlocks(RetireBlocksRequest.newBuilder().setBelow(below)))
        .build();
  }

  @Override
  public LoggedWrite.OpCase writeCase() {
    return LoggedWrite.OpCase.RETIRE_BLOCKS;
  }

  /** Monotonic and capped at the next id to reserve, so a late or stale entry is harmless. */
  @Override
  public MetaResponse apply(LoggedWrite write, WritableState state) {
    state.retireBelow(write.getRetireBlocks().getBelow());
    return ok().build();
  }
}
