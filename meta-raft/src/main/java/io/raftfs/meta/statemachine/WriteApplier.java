package io.raftfs.meta.statemachine;

import io.raftfs.meta.namespace.NamespaceException;
import io.raftfs.proto.LoggedWrite;
import io.raftfs.proto.MetaResponse;

/** How the {@link MetaStore} applies each kind of logged write; it knows none of them itself. */
@FunctionalInterface
public interface WriteApplier {
  /**
   * Applies {@code write} using nothing but its content and {@code state}.
   *
   * @throws NamespaceException to refuse it; the store answers the refusal and goes on
   */
  MetaResponse apply(LoggedWrite write, WritableState state) throws NamespaceException;
}
