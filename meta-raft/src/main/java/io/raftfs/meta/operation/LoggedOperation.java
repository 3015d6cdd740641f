package io.raftfs.meta.operation;

import io.raftfs.meta.namespace.NamespaceException;
import io.raftfs.meta.statemachine.WritableState;
import io.raftfs.proto.LoggedWrite;
import io.raftfs.proto.MetaResponse;

/**
 * A kind of {@link LoggedWrite}: how every replica applies it. Deterministic: it may use only the
 * entry's content and {@link WritableState}, whose only clock is the batch's timestamp.
 */
public non-sealed interface LoggedOperation extends MetaOperation {
  LoggedWrite.OpCase writeCase();

  /**
   * @throws NamespaceException to refuse the write; the refusal is its answer
   */
  MetaResponse apply(LoggedWrite write, WritableState state) throws NamespaceException;
}
