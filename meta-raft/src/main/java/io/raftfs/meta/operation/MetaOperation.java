package io.raftfs.meta.operation;

/**
 * One metadata operation's home: a {@link ClientOperation} (a request a client sends), a {@link
 * LoggedOperation} (a write the log holds), or both.
 */
public sealed interface MetaOperation permits ClientOperation, LoggedOperation {}
