package io.raftfs.meta.operation;

import static io.raftfs.meta.operation.Responses.error;
import static io.raftfs.meta.operation.Responses.ok;

import io.raftfs.meta.statemachine.WritableState;
import io.raftfs.proto.BlockKey;
import io.raftfs.proto.ErrorCode;
import io.raftfs.proto.LoggedWrite;
import io.raftfs.proto.MetaBatch;
import io.raftfs.proto.MetaResponse;

/**
 * {@code roll_block_key}: a block key the leader made (id and secret chosen at random before the
 * entry is appended, so every master holds the same key), for signing block access tokens
 * (docs/security.md). Only masters write it; no client request maps to it. Expired keys are dropped
 * by the store at every batch, from the batch's time.
 */
public final class RollBlockKey implements LoggedOperation {
  RollBlockKey() {}

  /** A log entry of its own, formed at {@code nowMillis}. */
  public static MetaBatch entry(BlockKey key, long nowMillis) {
    return MetaBatch.newBuilder()
        .setTimestampMillis(nowMillis)
        .addRequests(LoggedWrite.newBuilder().setRollBlockKey(key))
        .build();
  }

  @Override
  public LoggedWrite.OpCase writeCase() {
    return LoggedWrite.OpCase.ROLL_BLOCK_KEY;
  }

  @Override
  public MetaResponse apply(LoggedWrite write, WritableState state) {
    BlockKey key = write.getRollBlockKey();
    if (key.getSecret().size() != 32 || key.getExpiresAtMs() <= state.nowMillis()) {
      return error(ErrorCode.INVALID_ARGUMENT, "block key " + key.getKeyId() + " is not usable");
    }
    if (!state.addBlockKey(key)) {
      return error(ErrorCode.ALREADY_EXISTS, "block key " + key.getKeyId() + " exists");
    }
    return ok().build();
  }
}
