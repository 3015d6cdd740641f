/**
 * The metadata operations, one class each, in the spirit of Ozone's OM requests: what a master
 * checks before anything is logged, how every replica applies a logged write (deterministically,
 * from the entry and the batch's timestamp only), or how a read is answered from state, and the
 * name its metrics carry. {@link io.raftfs.meta.operation.Operations} maps protobuf op cases to
 * them; adding an operation touches its class, the registry and the {@code .proto}.
 */
package io.raftfs.meta.operation;
