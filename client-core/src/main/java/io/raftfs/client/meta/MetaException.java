package io.raftfs.client.meta;

import io.raftfs.proto.ErrorCode;

/**
 * A metadata call failed with a named {@link ErrorCode}. The message is meant for users and names
 * the path, e.g. {@code "/a/b: No such file or directory"}.
 *
 * <p>Callers catch the subclass they can act on; {@link #of} maps a code to it.
 */
public class MetaException extends RuntimeException {
  private final ErrorCode code;

  public MetaException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  /** The typed exception for a failed {@code MetaResponse}. */
  public static MetaException of(ErrorCode code, String message) {
    return switch (code) {
      case NOT_FOUND -> new PathNotFoundException(message);
      case ALREADY_EXISTS -> new PathExistsException(message);
      case NOT_A_DIRECTORY -> new NotADirectoryException(message);
      case IS_A_DIRECTORY -> new IsADirectoryException(message);
      case DIRECTORY_NOT_EMPTY -> new DirectoryNotEmptyException(message);
      case INVALID_PATH -> new InvalidPathException(message);
      case INVALID_ARGUMENT -> new InvalidArgumentException(message);
      case INVALID_MOVE -> new InvalidMoveException(message);
      case NOT_ENOUGH_DATA_NODES -> new NotEnoughDataNodesException(message);
      case UNAVAILABLE, NOT_LEADER -> new MastersUnavailableException(message);
      case UNAUTHENTICATED -> new AuthenticationFailedException(message);
      case BLOCKS_RETIRED -> new BlocksRetiredException(message);
      case PERMISSION_DENIED -> new PermissionDeniedException(message);
      case END_USER_PROOF_REFUSED -> new EndUserProofRefusedException(message);
      default -> new MetaException(code, message);
    };
  }
}
