package io.raftfs.meta.statemachine;

import io.raftfs.meta.namespace.Namespace;
import io.raftfs.meta.namespace.NamespaceException;
import io.raftfs.proto.BlockIdRange;
import io.raftfs.proto.BlockInfo;
import io.raftfs.proto.BlockLocations;
import io.raftfs.proto.CommitFileRequest;
import io.raftfs.proto.DirectoryEntryImage;
import io.raftfs.proto.ErrorCode;
import io.raftfs.proto.Listing;
import io.raftfs.proto.LocatedBlock;
import io.raftfs.proto.LoggedWrite;
import io.raftfs.proto.MetaBatch;
import io.raftfs.proto.MetaBatchResult;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaResponse;
import io.raftfs.proto.RegisterDataNodeRequest;
import io.raftfs.proto.SnapshotHeader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * The replicated metadata: namespace, block id counter, data-node registry and the dedup table. No
 * Raft and no I/O but the snapshot streams: the state machine feeds it committed batches in log
 * order, and every replica that applies the same batches holds the same state.
 *
 * <p>Writes ({@link #apply}) and reads ({@link #read}) may come from different threads; a
 * read-write lock keeps each batch atomic to readers.
 */
public final class MetaStore {
  /** How long a silent client's answers are kept for its retries. */
  public static final long DEDUP_EXPIRY_MILLIS = 10 * 60 * 1000;

  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private Namespace namespace = new Namespace();
  private long nextBlockId = 1;
  private final Map<String, RegisterDataNodeRequest> dataNodes = new TreeMap<>();
  private DedupTable dedup = new DedupTable(DEDUP_EXPIRY_MILLIS);
  private final Set<String> decommissioning = new TreeSet<>();
  private final Consumer<List<Long>> releasedBlocks;

  /**
   * @param releasedBlocks told, as each batch is applied, which blocks no file uses any more
   *     (deleted or overwritten files), so their replicas can be removed at once
   */
  public MetaStore(Consumer<List<Long>> releasedBlocks) {
    this.releasedBlocks = releasedBlocks;
  }

  public MetaStore() {
    this(released -> {});
  }

  /** Applies one committed batch; answers in request order. */
  public MetaBatchResult apply(MetaBatch batch) {
    long now = batch.getTimestampMillis();
    MetaBatchResult.Builder result = MetaBatchResult.newBuilder();
    lock.writeLock().lock();
    try {
      for (LoggedWrite request : batch.getRequestsList()) {
        MetaResponse previous = dedup.answered(request.getClientId(), request.getCallId());
        if (previous != null) {
          result.addResponses(previous);
          continue;
        }
        MetaResponse response = applyOne(request, now, result);
        if (!request.getClientId().isEmpty()) {
          dedup.record(
              request.getClientId(),
              request.getCallId(),
              request.getAnsweredBelow(),
              response,
              now);
        }
        result.addResponses(response);
      }
      dedup.expire(now);
    } finally {
      lock.writeLock().unlock();
    }
    return result.build();
  }

  private MetaResponse applyOne(LoggedWrite request, long now, MetaBatchResult.Builder result) {
    try {
      return switch (request.getOpCase()) {
        case MKDIR ->
            ok().setStatus(
                    namespace.mkdir(
                        request.getMkdir().getPath(), request.getMkdir().getParents(), now))
                .build();
        case COMMIT_FILE -> commit(request.getCommitFile(), now);
        case DECOMMISSION -> {
          String nodeId = request.getDecommission().getNodeId();
          if (!dataNodes.containsKey(nodeId)) {
            yield error(ErrorCode.NOT_FOUND, nodeId + ": no such data node");
          }
          decommissioning.add(nodeId);
          yield ok().build();
        }
        case RENAME -> {
          namespace.rename(
              request.getRename().getSource(), request.getRename().getDestination(), now);
          yield ok().build();
        }
        case DELETE -> {
          releasedBlocks.accept(
              namespace.delete(
                  request.getDelete().getPath(), request.getDelete().getRecursive(), now));
          yield ok().build();
        }
        case REGISTER_DATA_NODE -> {
          RegisterDataNodeRequest node = request.getRegisterDataNode();
          dataNodes.put(node.getNodeId(), node);
          yield ok().build();
        }
        case RESERVE_BLOCK_IDS -> {
          long count = request.getReserveBlockIds().getCount();
          BlockIdRange range =
              BlockIdRange.newBuilder().setFirst(nextBlockId).setCount(count).build();
          nextBlockId += count;
          result.addReservedIds(range);
          yield ok().build();
        }
        case OP_NOT_SET -> error(ErrorCode.INVALID_ARGUMENT, "the log entry names no write");
      };
    } catch (NamespaceException e) {
      return error(e.code(), e.getMessage());
    }
  }

  private MetaResponse commit(CommitFileRequest request, long now) throws NamespaceException {
    for (BlockInfo block : request.getBlocksList()) {
      if (block.getBlockId() < 1 || block.getBlockId() >= nextBlockId) {
        return error(
            ErrorCode.INVALID_ARGUMENT,
            request.getPath() + ": block " + block.getBlockId() + " was never allocated");
      }
    }
    Namespace.CommitResult committed = namespace.commit(request, now);
    if (!committed.releasedBlockIds().isEmpty()) {
      releasedBlocks.accept(committed.releasedBlockIds());
    }
    return ok().setStatus(committed.status()).build();
  }

  /** Answers a read operation from the current state. */
  public MetaResponse read(MetaRequest request) {
    lock.readLock().lock();
    try {
      return switch (request.getOpCase()) {
        case STAT -> ok().setStatus(namespace.stat(request.getStat().getPath())).build();
        case LIST ->
            ok().setListing(
                    Listing.newBuilder().addAllEntries(namespace.list(request.getList().getPath())))
                .build();
        case GET_BLOCK_LOCATIONS -> locations(request.getGetBlockLocations().getPath());
        default ->
            error(ErrorCode.INVALID_ARGUMENT, "not a read operation: " + request.getOpCase());
      };
    } catch (NamespaceException e) {
      return error(e.code(), e.getMessage());
    } finally {
      lock.readLock().unlock();
    }
  }

  private MetaResponse locations(String path) throws NamespaceException {
    BlockLocations.Builder locations = BlockLocations.newBuilder().setStatus(namespace.stat(path));
    long offset = 0;
    for (BlockInfo block : namespace.blocks(path)) {
      locations.addBlocks(LocatedBlock.newBuilder().setBlock(block).setOffset(offset));
      offset += block.getLength();
    }
    return ok().setLocations(locations).build();
  }

  /**
   * Checks, before anything enters the log, that a file at {@code path} could be committed for
   * {@code call}. A call already applied passes: its retry is answered from the dedup table, and
   * checked against the state it made itself it would refuse its own commit ("File exists").
   */
  public void checkCommittable(MetaRequest call, String path, boolean overwrite)
      throws NamespaceException {
    lock.readLock().lock();
    try {
      if (dedup.answered(call.getClientId(), call.getCallId()) == null) {
        namespace.checkCommittable(path, overwrite);
      }
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

  long nextBlockId() {
    return nextBlockId;
  }

  int dedupEntries() {
    return dedup.size();
  }

  /**
   * SHA-256 of the replicated state that users can observe (namespace, block id counter, data
   * nodes, decommissioning), in canonical order: replicas at the same applied index must agree.
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
              .setRootMtimeMillis(namespace.rootMtimeMillis());
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
      decommissioning.clear();
      decommissioning.addAll(header.getDecommissioningList());
      dedup = new DedupTable(DEDUP_EXPIRY_MILLIS);
      header.getDedupList().forEach(dedup::restore);
    } finally {
      lock.writeLock().unlock();
    }
  }

  private static MetaResponse.Builder ok() {
    return MetaResponse.newBuilder().setError(ErrorCode.OK);
  }

  static MetaResponse error(ErrorCode code, String message) {
    return MetaResponse.newBuilder().setError(code).setMessage(message).build();
  }
}
