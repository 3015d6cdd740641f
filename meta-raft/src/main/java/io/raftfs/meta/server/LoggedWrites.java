package io.raftfs.meta.server;

import io.raftfs.proto.LoggedWrite;
import io.raftfs.proto.MetaRequest;

/** Turns a client's write request into the form the log holds. */
final class LoggedWrites {
  private LoggedWrites() {}

  /**
   * The log form of {@code request}, with its dedup identity.
   *
   * @throws IllegalArgumentException if the request is not a write a client may send
   */
  static LoggedWrite of(MetaRequest request) {
    LoggedWrite.Builder write =
        LoggedWrite.newBuilder()
            .setClientId(request.getClientId())
            .setCallId(request.getCallId())
            .setAnsweredBelow(request.getAnsweredBelow());
    switch (request.getOpCase()) {
      case MKDIR -> write.setMkdir(request.getMkdir());
      case COMMIT_FILE -> write.setCommitFile(request.getCommitFile());
      case RENAME -> write.setRename(request.getRename());
      case DELETE -> write.setDelete(request.getDelete());
      case REGISTER_DATA_NODE -> write.setRegisterDataNode(request.getRegisterDataNode());
      case DECOMMISSION -> write.setDecommission(request.getDecommission());
      default -> throw new IllegalArgumentException("not a write: " + request.getOpCase());
    }
    return write.build();
  }
}
