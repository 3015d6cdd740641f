package io.raftfs.meta.operation;

import static io.raftfs.meta.operation.Responses.ok;

import io.raftfs.meta.statemachine.WritableState;
import io.raftfs.proto.BlockIdRange;
import io.raftfs.proto.ErrorCode;
import io.raftfs.proto.LoggedWrite;
import io.raftfs.proto.MetaBatch;
import io.raftfs.proto.MetaBatchResult;
import io.raftfs.proto.MetaResponse;
import io.raftfs.proto.ReserveBlockIdsRequest;
import java.io.IOException;
import java.util.concurrent.CompletionException;

/**
 * {@code reserve_block_ids}: the leader reserves a range of block ids through the log, so that
 * {@link AllocateBlocks} needs no log write per block and ids never repeat across leaders. Only
 * masters write it; no client request maps to it.
 */
public final class ReserveBlockIds implements LoggedOperation {
  ReserveBlockIds() {}

  /** A log entry of its own: reservations are rare, and no client write waits behind one. */
  public static MetaBatch entry(long count, long nowMillis) {
    return MetaBatch.newBuilder()
        .setTimestampMillis(nowMillis)
        .addRequests(
            LoggedWrite.newBuilder()
                .setReserveBlockIds(ReserveBlockIdsRequest.newBuilder().setCount(count)))
        .build();
  }

  /**
   * The range the applied {@link #entry} reserved.
   *
   * @throws CompletionException if the reservation was refused
   */
  public static BlockIdRange reserved(MetaBatchResult result) {
    MetaResponse response = result.getResponses(0);
    if (response.getError() != ErrorCode.OK) {
      throw new CompletionException(
          new IOException("block id reservation failed: " + response.getMessage()));
    }
    return result.getReservedIds(0);
  }

  @Override
  public LoggedWrite.OpCase writeCase() {
    return LoggedWrite.OpCase.RESERVE_BLOCK_IDS;
  }

  @Override
  public MetaResponse apply(LoggedWrite write, WritableState state) {
    state.reserveBlockIds(write.getReserveBlockIds().getCount());
    return ok().build();
  }
}
