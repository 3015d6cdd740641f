package io.raftfs.meta.statemachine;

import io.raftfs.meta.namespace.Accessor;
import io.raftfs.meta.namespace.Namespace;
import io.raftfs.meta.namespace.NamespaceException;
import io.raftfs.meta.users.UserTable;
import io.raftfs.proto.BlockIdRange;
import io.raftfs.proto.BlockInfo;
import io.raftfs.proto.BlockKey;
import io.raftfs.proto.BlockKeys;
import io.raftfs.proto.DirectoryEntryImage;
import io.raftfs.proto.ErrorCode;
import io.raftfs.proto.LoggedWrite;
import io.raftfs.proto.MetaBatch;
import io.raftfs.proto.MetaBatchResult;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaResponse;
import io.raftfs.proto.RegisterDataNodeRequest;
import io.raftfs.proto.RegisteredNodes;
import io.raftfs.proto.SnapshotHeader;
import io.raftfs.proto.UserInfo;
import io.raftfs.proto.UserRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * The replicated metadata: namespace, block id counter, data-node registry, users and the dedup
 * table. No Raft and no I/O but the snapshot streams: the state machine feeds it committed batches
 * in log order, and every replica that applies the same batches holds the same state. What each
 * kind of write does to the state is the {@link WriteApplier}'s; the store keeps the batch atomic,
 * answers retries from the dedup table and takes and loads snapshots.
 *
 * <p>Writes ({@link #apply}) and reads ({@link #read}) may come from different threads; a
 * read-write lock keeps each batch atomic to readers.
 */
public final class MetaStore {
  /** How long a silent client's answers are kept for its retries. */
  public static final long DEDUP_EXPIRY_MILLIS = 10 * 60 * 1000;

  /** The superuser group unless configured ({@code raftfs.master.auth.superuser.group}). */
  public static final String DEFAULT_SUPERUSER_GROUP = "supergroup";

  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final WriteApplier applier;
  private Namespace namespace = new Namespace();
  private long nextBlockId = 1;
  private final Map<String, RegisterDataNodeRequest> dataNodes = new TreeMap<>();
  // Derived from dataNodes whenever an address changes: every heartbeat answer may need it.
  private volatile RegisteredNodes registeredNodes = registeredNodesOf(List.of());
  private DedupTable dedup = new DedupTable(DEDUP_EXPIRY_MILLIS);
  private final Set<String> decommissioning = new TreeSet<>();
  // Ids below retiredBelow, and those in retiredIds, can never be committed again unless the file
  // a commit replaces holds them (CommitFile): what makes deleting an unreferenced replica safe.
  private long retiredBelow;
  private final TreeSet<Long> retiredIds = new TreeSet<>();
  // Block keys by id, none expired at the last applied batch's time; sent to data nodes.
  private final Map<Integer, BlockKey> blockKeys = new TreeMap<>();
  private volatile BlockKeys blockKeysView = blockKeysOf(List.of());
  private final UserTable users = new UserTable();
  private final String superuserGroup;
  private final Consumer<List<Long>> releasedBlocks;

  /**
   * @param applier applies each kind of logged write
   * @param releasedBlocks told, as each batch is applied, which blocks no file uses any more
   *     (deleted or overwritten files), so their replicas can be removed at once
   * @param superuserGroup whose members may do anything; the same on every master, as every master
   *     decides with it what a logged write may do
   */
  public MetaStore(
      WriteApplier applier, Consumer<List<Long>> releasedBlocks, String superuserGroup) {
    this.applier = applier;
    this.releasedBlocks = releasedBlocks;
    this.superuserGroup = superuserGroup;
  }

  public MetaStore(WriteApplier applier, Consumer<List<Long>> releasedBlocks) {
    this(applier, releasedBlocks, DEFAULT_SUPERUSER_GROUP);
  }

  public MetaStore(WriteApplier applier) {
    this(applier, released -> {});
  }

  /** Applies one committed batch; answers in request order. */
  public MetaBatchResult apply(MetaBatch batch) {
    MetaBatchResult.Builder result = MetaBatchResult.newBuilder();
    Applying state = new Applying(batch.getTimestampMillis(), result);
    lock.writeLock().lock();
    try {
      for (LoggedWrite request : batch.getRequestsList()) {
        String client = DedupTable.key(request.getAccessKeyId(), request.getClientId());
        MetaResponse previous = dedup.answered(client, request.getCallId());
        if (previous != null) {
          result.addResponses(previous);
          continue;
        }
        MetaResponse response = applyOne(request, state);
        if (!request.getClientId().isEmpty()) {
          dedup.record(
              client, request.getCallId(), request.getAnsweredBelow(), response, state.nowMillis);
        }
        result.addResponses(response);
      }
      dedup.expire(state.nowMillis);
      if (blockKeys.values().removeIf(key -> key.getExpiresAtMs() <= state.nowMillis)) {
        blockKeysView = blockKeysOf(blockKeys.values());
      }
    } finally {
      lock.writeLock().unlock();
    }
    return result.build();
  }

  private MetaResponse applyOne(LoggedWrite request, Applying state) {
    try {
      return applier.apply(request, state);
    } catch (NamespaceException e) {
      return error(e.code(), e.getMessage());
    }
  }

  /** The store as one batch's writes see it; lives only while the batch is applied. */
  private final class Applying implements WritableState {
    private final long nowMillis;
    private final MetaBatchResult.Builder result;

    Applying(long nowMillis, MetaBatchResult.Builder result) {
      this.nowMillis = nowMillis;
      this.result = result;
    }

    @Override
    public long nowMillis() {
      return nowMillis;
    }

    @Override
    public Namespace namespace() {
      return namespace;
    }

    @Override
    public boolean isAllocated(long blockId) {
      return blockId >= 1 && blockId < nextBlockId;
    }

    @Override
    public boolean isRetired(long blockId) {
      return blockId < retiredBelow || retiredIds.contains(blockId);
    }

    @Override
    public void retireBelow(long blockId) {
      long below = Math.min(blockId, nextBlockId);
      if (below > retiredBelow) {
        retiredBelow = below;
        retiredIds.headSet(below).clear();
      }
    }

    @Override
    public BlockIdRange reserveBlockIds(long count) {
      BlockIdRange range = BlockIdRange.newBuilder().setFirst(nextBlockId).setCount(count).build();
      nextBlockId += count;
      result.addReservedIds(range);
      return range;
    }

    @Override
    public boolean isRegistered(String nodeId) {
      return dataNodes.containsKey(nodeId);
    }

    @Override
    public void register(RegisterDataNodeRequest node) {
      RegisterDataNodeRequest previous = dataNodes.put(node.getNodeId(), node);
      if (previous == null || !previous.getHttpAddress().equals(node.getHttpAddress())) {
        registeredNodes = registeredNodesOf(dataNodes.values());
      }
    }

    @Override
    public void decommission(String nodeId) {
      decommissioning.add(nodeId);
    }

    @Override
    public void recommission(String nodeId) {
      decommissioning.remove(nodeId);
    }

    @Override
    public void released(List<Long> blockIds) {
      for (long blockId : blockIds) {
        if (blockId >= retiredBelow) {
          retiredIds.add(blockId);
        }
      }
      releasedBlocks.accept(blockIds);
    }

    @Override
    public boolean addBlockKey(BlockKey key) {
      if (blockKeys.putIfAbsent(key.getKeyId(), key) != null) {
        return false;
      }
      blockKeysView = blockKeysOf(blockKeys.values());
      return true;
    }

    @Override
    public UserTable users() {
      return users;
    }

    @Override
    public boolean isSuperuser(String user) {
      return users.isSuperuser(user, superuserGroup);
    }

    @Override
    public String superuserGroup() {
      return superuserGroup;
    }

    @Override
    public Accessor accessor(String caller) {
      return MetaStore.this.accessor(caller);
    }
  }

  /**
   * {@code caller} as the user table says now: its groups (its own name among them) and whether it
   * is a superuser. "" (unsigned, the masters' own writes) acts as the bootstrap superuser.
   */
  private Accessor accessor(String caller) {
    String user = caller.isEmpty() ? UserTable.ROOT : caller;
    Set<String> groups = new HashSet<>();
    groups.add(user);
    UserRecord record = users.byName(user);
    if (record != null) {
      groups.addAll(record.getGroupsList());
    }
    return new Accessor(user, groups, users.isSuperuser(caller, superuserGroup));
  }

  /** A read of the namespace for a caller, answered under the store's read lock. */
  @FunctionalInterface
  public interface Query {
    MetaResponse answer(MetaRequest request, Namespace namespace, Accessor caller)
        throws NamespaceException;
  }

  /** Answers {@code request} of {@code caller} (a user name) with {@code query} from the state. */
  public MetaResponse read(MetaRequest request, String caller, Query query) {
    lock.readLock().lock();
    try {
      return query.answer(request, namespace, accessor(caller));
    } catch (NamespaceException e) {
      return error(e.code(), e.getMessage());
    } finally {
      lock.readLock().unlock();
    }
  }

  /** What the leader checks against its state before a write enters the log. */
  @FunctionalInterface
  public interface Check {
    /**
     * @throws NamespaceException to refuse the write
     */
    void check(Namespace namespace, Accessor caller) throws NamespaceException;
  }

  /**
   * Runs {@code check} for {@code call} of {@code caller}, signed by {@code accessKeyId}, before
   * anything enters the log. A call already applied passes: its retry is answered from the dedup
   * table, and checked against the state it made itself it could refuse (a commit's "File exists").
   */
  public void checkBeforeLog(String accessKeyId, String caller, MetaRequest call, Check check)
      throws NamespaceException {
    lock.readLock().lock();
    try {
      if (dedup.answered(DedupTable.key(accessKeyId, call.getClientId()), call.getCallId())
          == null) {
        check.check(namespace, accessor(caller));
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Runs {@code check} for {@code caller} (a user name) against the state now. */
  public void check(String caller, Check check) throws NamespaceException {
    lock.readLock().lock();
    try {
      check.check(namespace, accessor(caller));
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Visits every committed block under the read lock. */
  public void forEachBlock(Namespace.BlockVisitor visitor) {
    lock.readLock().lock();
    try {
      namespace.forEachBlock(visitor);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** True if a committed file holds the block. */
  public boolean isReferenced(long blockId) {
    lock.readLock().lock();
    try {
      return namespace.isReferenced(blockId);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** What may become of a block's replicas, as the replicated state says now. */
  public enum BlockFate {
    /** A committed file holds it: keep. */
    REFERENCED,
    /** Handed out and not retired: a commit may still name it. */
    UNCOMMITTED,
    /** No file holds it and no commit can name it: delete its replicas. */
    RETIRED,
    /** Beyond every reserved id: no master handed it out. */
    NEVER_ALLOCATED
  }

  /** The fate of the block's replicas, read under one lock. */
  public BlockFate fate(long blockId) {
    lock.readLock().lock();
    try {
      if (namespace.isReferenced(blockId)) {
        return BlockFate.REFERENCED;
      }
      if (blockId < retiredBelow || retiredIds.contains(blockId)) {
        return BlockFate.RETIRED;
      }
      return blockId >= 1 && blockId < nextBlockId
          ? BlockFate.UNCOMMITTED
          : BlockFate.NEVER_ALLOCATED;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Every id below this that no file holds is retired. */
  public long retiredBelow() {
    lock.readLock().lock();
    try {
      return retiredBelow;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The committed block with this id, or null. */
  public BlockInfo block(long blockId) {
    lock.readLock().lock();
    try {
      return namespace.block(blockId);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Visits every file at or below {@code path} under the read lock. */
  public void forEachFile(String path, Namespace.FileVisitor visitor) throws NamespaceException {
    lock.readLock().lock();
    try {
      namespace.forEachFile(path, visitor);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Data nodes being drained. */
  public Set<String> decommissioning() {
    lock.readLock().lock();
    try {
      return Set.copyOf(decommissioning);
    } finally {
      lock.readLock().unlock();
    }
  }

  public List<RegisterDataNodeRequest> dataNodes() {
    lock.readLock().lock();
    try {
      return new ArrayList<>(dataNodes.values());
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Registered and not being decommissioned: may receive new replicas. */
  public boolean isInService(String nodeId) {
    lock.readLock().lock();
    try {
      return dataNodes.containsKey(nodeId) && !decommissioning.contains(nodeId);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Every registered node's HTTP address, with a version that is the same on every master that
   * applied the same registrations (a hash: nothing to keep in snapshots), for the heartbeat
   * answer.
   */
  public RegisteredNodes registeredNodes() {
    return registeredNodes;
  }

  /**
   * The block keys not expired at the last applied batch's time, with a version that is the same on
   * every master that applied the same entries, for signing block tokens and heartbeat answers.
   */
  public BlockKeys blockKeys() {
    return blockKeysView;
  }

  /** The HTTP address ({@code host:port}) the node registered with, or null if it did not. */
  public String registeredAddress(String nodeId) {
    lock.readLock().lock();
    try {
      RegisterDataNodeRequest node = dataNodes.get(nodeId);
      return node == null ? null : node.getHttpAddress();
    } finally {
      lock.readLock().unlock();
    }
  }

  public boolean isRegistered(String nodeId) {
    lock.readLock().lock();
    try {
      return dataNodes.containsKey(nodeId);
    } finally {
      lock.readLock().unlock();
    }
  }

  public long files() {
    return namespace.files();
  }

  public long directories() {
    return namespace.directories();
  }

  public long blocks() {
    return namespace.blocks();
  }

  public long bytes() {
    return namespace.bytes();
  }

  /** The next block id a reservation hands out: every id below it was reserved. */
  public long nextBlockId() {
    lock.readLock().lock();
    try {
      return nextBlockId;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** True if a deleted or overwritten file released an id below this one that the bound misses. */
  public boolean retiredIdsBelow(long blockId) {
    lock.readLock().lock();
    try {
      return !retiredIds.isEmpty() && retiredIds.first() < blockId;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Released ids above {@link #retiredBelow()} (tests). */
  Set<Long> retiredIds() {
    lock.readLock().lock();
    try {
      return Set.copyOf(retiredIds);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The user holding this access key, or null. */
  public UserRecord userByKeyId(String accessKeyId) {
    lock.readLock().lock();
    try {
      return users.byKeyId(accessKeyId);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The user of this name, or null (also for {@value UserTable#ROOT}, who is not in the table). */
  public UserRecord user(String name) {
    lock.readLock().lock();
    try {
      return users.byName(name);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Every user by name, without secrets. */
  public List<UserInfo> userList() {
    lock.readLock().lock();
    try {
      return users.all().stream().map(user -> UserTable.info(user).build()).toList();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** True if {@code user} may do anything (see {@link UserTable#isSuperuser}). */
  public boolean isSuperuser(String user) {
    lock.readLock().lock();
    try {
      return users.isSuperuser(user, superuserGroup);
    } finally {
      lock.readLock().unlock();
    }
  }

  public String superuserGroup() {
    return superuserGroup;
  }

  int dedupEntries() {
    return dedup.size();
  }

  /**
   * SHA-256 of the replicated state that users can observe (namespace, block id counter, data
   * nodes, decommissioning, retired block ids, block keys, users), in canonical order: replicas at
   * the same applied index must agree.
   */
  public String digest() {
    lock.readLock().lock();
    try {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      namespace.digest(sha);
      sha.update(java.nio.ByteBuffer.allocate(8).putLong(nextBlockId).array());
      dataNodes.values().forEach(node -> sha.update(node.toByteArray()));
      decommissioning.forEach(
          node -> sha.update(node.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      if (retiredBelow > 0 || !retiredIds.isEmpty()) {
        java.nio.ByteBuffer retired = java.nio.ByteBuffer.allocate(8 * (1 + retiredIds.size()));
        retired.putLong(retiredBelow);
        retiredIds.forEach(retired::putLong);
        sha.update(retired.array());
      }
      blockKeys.values().forEach(key -> sha.update(key.toByteArray()));
      users.all().forEach(user -> sha.update(user.toByteArray()));
      return java.util.HexFormat.of().formatHex(sha.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Writes the whole state: a header, then every namespace entry, each length-delimited. */
  public void writeSnapshot(OutputStream out) throws IOException {
    lock.readLock().lock();
    try {
      SnapshotHeader.Builder header =
          SnapshotHeader.newBuilder()
              .setNextBlockId(nextBlockId)
              .addAllDataNodes(dataNodes.values())
              .setEntryCount(namespace.files() + namespace.directories() - 1)
              .addAllDecommissioning(decommissioning)
              .setRootMtimeMillis(namespace.rootMtimeMillis())
              .setRootOwner(namespace.rootStatus().getOwner())
              .setRootGroup(namespace.rootStatus().getGroup())
              .setRootPermission(namespace.rootStatus().getPermission())
              .setRetiredBelow(retiredBelow)
              .addAllRetiredBlockIds(retiredIds)
              .addAllBlockKeys(blockKeys.values())
              .addAllUsers(users.all());
      dedup.forEach(header::addDedup);
      header.build().writeDelimitedTo(out);
      IOException[] failure = new IOException[1];
      namespace.forEachEntry(
          entry -> {
            if (failure[0] == null) {
              try {
                entry.writeDelimitedTo(out);
              } catch (IOException e) {
                failure[0] = e;
              }
            }
          });
      if (failure[0] != null) {
        throw failure[0];
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Replaces the whole state with a snapshot written by {@link #writeSnapshot}. */
  public void loadSnapshot(InputStream in) throws IOException {
    SnapshotHeader header = SnapshotHeader.parseDelimitedFrom(in);
    if (header == null) {
      throw new IOException("empty snapshot");
    }
    Namespace loaded = new Namespace();
    loaded.restoreRootMtime(header.getRootMtimeMillis());
    loaded.restoreRootPermissions(
        header.getRootOwner(),
        header.getRootGroup(),
        header.hasRootPermission() ? header.getRootPermission() : null);
    for (long i = 0; i < header.getEntryCount(); i++) {
      DirectoryEntryImage entry = DirectoryEntryImage.parseDelimitedFrom(in);
      if (entry == null) {
        throw new IOException(
            "snapshot ends after " + i + " of " + header.getEntryCount() + " entries");
      }
      try {
        loaded.restore(entry);
      } catch (NamespaceException e) {
        throw new IOException(
            "corrupt snapshot entry " + entry.getPath() + ": " + e.getMessage(), e);
      }
    }
    lock.writeLock().lock();
    try {
      namespace = loaded;
      nextBlockId = header.getNextBlockId();
      dataNodes.clear();
      header.getDataNodesList().forEach(node -> dataNodes.put(node.getNodeId(), node));
      registeredNodes = registeredNodesOf(dataNodes.values());
      decommissioning.clear();
      decommissioning.addAll(header.getDecommissioningList());
      // A snapshot from before retirement has neither: nothing retired, as then.
      retiredBelow = header.getRetiredBelow();
      retiredIds.clear();
      retiredIds.addAll(header.getRetiredBlockIdsList());
      dedup = new DedupTable(DEDUP_EXPIRY_MILLIS);
      header.getDedupList().forEach(dedup::restore);
      blockKeys.clear();
      header.getBlockKeysList().forEach(key -> blockKeys.put(key.getKeyId(), key));
      blockKeysView = blockKeysOf(blockKeys.values());
      users.clear();
      header.getUsersList().forEach(users::put);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** The sorted distinct addresses and the first 64 bits of their SHA-256, 0 (none) made 1. */
  static RegisteredNodes registeredNodesOf(Collection<RegisterDataNodeRequest> nodes) {
    List<String> addresses =
        nodes.stream().map(RegisterDataNodeRequest::getHttpAddress).distinct().sorted().toList();
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    addresses.forEach(a -> sha.update((a + "\n").getBytes(StandardCharsets.UTF_8)));
    long version = ByteBuffer.wrap(sha.digest()).getLong();
    return RegisteredNodes.newBuilder()
        .setVersion(version == 0 ? 1 : version)
        .addAllHttpAddresses(addresses)
        .build();
  }

  /** The keys in id order and the first 64 bits of their SHA-256, 0 (none) made 1. */
  static BlockKeys blockKeysOf(Collection<BlockKey> keys) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    keys.forEach(key -> sha.update(key.toByteArray()));
    long version = ByteBuffer.wrap(sha.digest()).getLong();
    return BlockKeys.newBuilder().setVersion(version == 0 ? 1 : version).addAllKeys(keys).build();
  }

  private static MetaResponse error(ErrorCode code, String message) {
    return MetaResponse.newBuilder().setError(code).setMessage(message).build();
  }
}
