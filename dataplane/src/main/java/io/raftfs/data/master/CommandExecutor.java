package io.raftfs.data.master;

import io.raftfs.data.replication.BlockCopier;
import io.raftfs.data.store.BlockEntry;
import io.raftfs.data.store.BlockId;
import io.raftfs.data.store.BlockStore;
import io.raftfs.proto.CopyBlockCommand;
import io.raftfs.proto.DataNodeCommand;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the leader's commands. Both kinds are idempotent, because the leader repeats a
 * command until a block report shows it done.
 */
final class CommandExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(CommandExecutor.class);

  private final Vertx vertx;
  private final BlockStore store;
  private final BlockCopier copier;

  CommandExecutor(Vertx vertx, BlockStore store, BlockCopier copier) {
    this.vertx = vertx;
    this.store = store;
    this.copier = copier;
  }

  void execute(DataNodeCommand command) {
    switch (command.getCommandCase()) {
      case DELETE_BLOCKS -> command.getDeleteBlocks().getBlockIdsList().forEach(this::delete);
      case COPY_BLOCK -> copy(command.getCopyBlock());
      case COMMAND_NOT_SET -> LOG.warn("ignoring an empty command from the leader");
    }
  }

  private void delete(long blockId) {
    // The store's listener sends the incremental block report.
    vertx
        .executeBlocking(() -> store.delete(blockId), false)
        .onFailure(e -> LOG.warn("could not delete block {}", BlockId.format(blockId), e));
  }

  private void copy(CopyBlockCommand command) {
    BlockEntry block =
        new BlockEntry(
            command.getBlock().getBlockId(),
            command.getBlock().getLength(),
            Integer.toUnsignedLong(command.getBlock().getCrc32C()));
    String target = command.getTarget().getHttpAddress();
    copier
        .copy(block, command.getTarget(), command.getToken())
        .onSuccess(v -> LOG.debug("copied block {} to {}", BlockId.format(block.blockId()), target))
        .onFailure(
            e ->
                LOG.warn(
                    "copy of block {} to {} failed: {}",
                    BlockId.format(block.blockId()),
                    target,
                    e.getMessage()));
  }
}
