package io.raftfs.client.meta;

import io.raftfs.proto.ErrorCode;

/**
 * The caller's access key may not do this: an operation for the superuser group only (users,
 * decommission) or, later, a permission bit. Nothing changed. The message names what was refused,
 * e.g. {@code "add_user: Permission denied"}.
 */
public final class PermissionDeniedException extends MetaException {
  public PermissionDeniedException(String message) {
    super(ErrorCode.PERMISSION_DENIED, message);
  }
}
