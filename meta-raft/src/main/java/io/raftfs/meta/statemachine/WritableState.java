package io.raftfs.meta.statemachine;

import io.raftfs.meta.namespace.Accessor;
import io.raftfs.meta.namespace.Namespace;
import io.raftfs.meta.users.UserTable;
import io.raftfs.proto.BlockIdRange;
import io.raftfs.proto.BlockKey;
import io.raftfs.proto.RegisterDataNodeRequest;
import java.util.List;

/**
 * What one logged write may read and change while the {@link MetaStore} applies it, under the
 * store's write lock. Its only clock is the batch's timestamp, so every replica that applies the
 * same entry makes the same change.
 */
public interface WritableState {
  /** The leader's wall clock when it formed the batch: the only time an apply may use. */
  long nowMillis();

  Namespace namespace();

  /** True if a reservation applied before handed out this block id. */
  boolean isAllocated(long blockId);

  /**
   * True if no commit may name this block id any more unless the file it replaces holds it: the
   * leader retired it (an upload older than the orphan grace period) or its file was deleted or
   * overwritten. Its replicas are being deleted.
   */
  boolean isRetired(long blockId);

  /**
   * Retires every block id below {@code blockId} (at most the next id to reserve) that no file
   * holds; never moves back.
   */
  void retireBelow(long blockId);

  /** The next {@code count} block ids, also returned with the batch's result. */
  BlockIdRange reserveBlockIds(long count);

  boolean isRegistered(String nodeId);

  void register(RegisterDataNodeRequest node);

  /** Starts draining a registered node. */
  void decommission(String nodeId);

  /** Returns a node to service; a node in service is left as it is. */
  void recommission(String nodeId);

  /** Blocks no file uses any more: retired, so their replicas can go at once. */
  void released(List<Long> blockIds);

  /**
   * Adds a block key; false if one with its id exists (the first stays: tokens may be signed with
   * it). Keys expire at the first batch whose time has passed their expiry.
   */
  boolean addBlockKey(BlockKey key);

  /** The users, to change. */
  UserTable users();

  /**
   * True if {@code user} (a logged write's caller) may do anything: "" (the masters' own writes,
   * unsigned node reports, auth off), the bootstrap superuser, the superuser group's members.
   */
  boolean isSuperuser(String user);

  /** The group whose members are superusers; no user may take its name. */
  String superuserGroup();

  /** A logged write's caller as the permission checks see it, from the replicated user table. */
  Accessor accessor(String caller);
}
