package io.raftfs.meta.operation;

import static io.raftfs.meta.operation.Responses.error;
import static io.raftfs.meta.operation.Responses.ok;

import io.raftfs.meta.namespace.Accessor;
import io.raftfs.meta.namespace.Namespace;
import io.raftfs.meta.namespace.NamespaceException;
import io.raftfs.meta.namespace.PathNames;
import io.raftfs.meta.namespace.Permissions;
import io.raftfs.meta.statemachine.WritableState;
import io.raftfs.proto.BlockInfo;
import io.raftfs.proto.CommitFileRequest;
import io.raftfs.proto.ErrorCode;
import io.raftfs.proto.LoggedWrite;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaResponse;
import io.raftfs.protocol.MetaLimits;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code commit_file}: a file appears, or replaces the old one, with its complete block list. The
 * leader refuses a commit the state refuses before it is logged; every replica checks that each
 * block id was reserved and is not retired ({@link RetireBlocks}): a retired block's replicas are
 * being deleted, so a file naming it would be acknowledged without data. The client uploads such a
 * file again ({@link ErrorCode#BLOCKS_RETIRED}).
 */
final class CommitFile extends ClientWrite {
  CommitFile() {
    super(MetaRequest.OpCase.COMMIT_FILE, LoggedWrite.OpCase.COMMIT_FILE, "commit_file");
  }

  /**
   * The commit's shape, before the state is read: every replica checks it again on apply, except
   * the block size bounds, which are this master's settings.
   */
  @Override
  void validate(MetaRequest request, MasterContext master) throws NamespaceException {
    CommitFileRequest commit = request.getCommitFile();
    String path = commit.getPath();
    PathNames.splitNew(path);
    if (commit.getBlocksCount() > MetaLimits.MAX_BLOCKS_PER_FILE) {
      throw NamespaceException.invalidArgument(
          path,
          commit.getBlocksCount()
              + " blocks, more than the "
              + MetaLimits.MAX_BLOCKS_PER_FILE
              + " a file may have");
    }
    int replication = commit.getReplication();
    if (replication < MetaLimits.MIN_REPLICATION || replication > MetaLimits.MAX_REPLICATION) {
      throw NamespaceException.invalidArgument(
          path,
          "replication must be "
              + MetaLimits.MIN_REPLICATION
              + ".."
              + MetaLimits.MAX_REPLICATION
              + ", not "
              + replication);
    }
    master.blockSizes().checkFileBlockSize(path, commit.getBlockSize());
    checkAttributes(path, commit.getAttributesMap());
    if (commit.hasMode()) {
      Fields.checkMode(path, commit.getMode());
    }
  }

  /** Attributes are replicated state: bounded in number and size, as everything logged is. */
  static void checkAttributes(String path, Map<String, String> attributes)
      throws NamespaceException {
    if (attributes.size() > MetaLimits.MAX_FILE_ATTRIBUTES) {
      throw NamespaceException.invalidArgument(
          path,
          attributes.size()
              + " attributes, more than the "
              + MetaLimits.MAX_FILE_ATTRIBUTES
              + " a file may have");
    }
    long bytes = 0;
    for (Map.Entry<String, String> attribute : attributes.entrySet()) {
      if (attribute.getKey().isEmpty()) {
        throw NamespaceException.invalidArgument(path, "an attribute with an empty name");
      }
      bytes += attribute.getKey().getBytes(StandardCharsets.UTF_8).length;
      bytes += attribute.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    if (bytes > MetaLimits.MAX_FILE_ATTRIBUTE_BYTES) {
      throw NamespaceException.invalidArgument(
          path,
          "attributes of "
              + bytes
              + " bytes, more than the "
              + MetaLimits.MAX_FILE_ATTRIBUTE_BYTES
              + " a file may have");
    }
  }

  /** Path checks need state: a commit the leader's state refuses is refused before the log. */
  @Override
  void checkState(LoggedWrite write, Namespace namespace, Accessor caller)
      throws NamespaceException {
    CommitFileRequest commit = write.getCommitFile();
    checkCommit(namespace, caller, commit.getPath(), commit.getOverwrite());
  }

  /**
   * What the state must allow for {@code caller} to commit a file at {@code path}: the permissions,
   * then the path's shape ({@link Namespace#checkCommittable}).
   */
  static void checkCommit(Namespace namespace, Accessor caller, String path, boolean overwrite)
      throws NamespaceException {
    namespace.permissions(caller).checkCreate(path);
    namespace.checkCommittable(path, overwrite);
  }

  @Override
  void checkAccess(LoggedWrite write, Permissions permissions) throws NamespaceException {
    permissions.checkCreate(write.getCommitFile().getPath());
  }

  @Override
  void copyOperation(MetaRequest request, LoggedWrite.Builder write) {
    write.setCommitFile(request.getCommitFile());
  }

  @Override
  public MetaResponse apply(LoggedWrite write, WritableState state) throws NamespaceException {
    CommitFileRequest commit = write.getCommitFile();
    checkAttributes(commit.getPath(), commit.getAttributesMap());
    for (BlockInfo block : commit.getBlocksList()) {
      if (!state.isAllocated(block.getBlockId())) {
        return error(
            ErrorCode.INVALID_ARGUMENT,
            commit.getPath() + ": block " + block.getBlockId() + " was never allocated");
      }
      // The file this commit replaces may keep its own blocks, retired or not (they are held).
      if (state.isRetired(block.getBlockId())
          && !state.namespace().isReferenced(block.getBlockId())) {
        return error(
            ErrorCode.BLOCKS_RETIRED,
            commit.getPath()
                + ": block "
                + block.getBlockId()
                + " was uploaded longer ago than the orphan grace period"
                + " (raftfs.master.orphan.grace.ms) or belonged to a deleted file;"
                + " its replicas are being deleted: upload the file again");
      }
    }
    Namespace.CommitResult committed =
        state
            .namespace()
            .commit(commit, state.accessor(write.getCaller()).user(), state.nowMillis());
    if (!committed.releasedBlockIds().isEmpty()) {
      state.released(committed.releasedBlockIds());
    }
    return ok().setStatus(committed.status()).build();
  }
}
