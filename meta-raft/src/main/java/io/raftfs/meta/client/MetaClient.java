package io.raftfs.meta.client;

import io.raftfs.proto.AllocateBlocksRequest;
import io.raftfs.proto.BlockInfo;
import io.raftfs.proto.BlockLocations;
import io.raftfs.proto.ClusterStatus;
import io.raftfs.proto.ClusterStatusRequest;
import io.raftfs.proto.CommitFileRequest;
import io.raftfs.proto.DecommissionRequest;
import io.raftfs.proto.DeleteRequest;
import io.raftfs.proto.ErrorCode;
import io.raftfs.proto.FileStatus;
import io.raftfs.proto.FsckReport;
import io.raftfs.proto.FsckRequest;
import io.raftfs.proto.GetBlockLocationsRequest;
import io.raftfs.proto.ListRequest;
import io.raftfs.proto.LocatedBlock;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaResponse;
import io.raftfs.proto.MkdirRequest;
import io.raftfs.proto.RegisterDataNodeRequest;
import io.raftfs.proto.RenameRequest;
import io.raftfs.proto.ReportBadReplicaRequest;
import io.raftfs.proto.StatRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The metadata API of raftfs for other modules: typed calls against the masters' {@code POST
 * /v1/meta} endpoint.
 *
 * <p>It follows the leader (a follower's {@code NOT_LEADER} answer names it), retries across leader
 * changes and dead masters with growing pauses until the call's deadline, and keeps one call id per
 * logical call so a retried write is answered from the masters' dedup table instead of being
 * applied twice. Callers never see {@code NOT_LEADER}; failures arrive as {@link MetaException}
 * subclasses. Thread-safe; calls block.
 *
 * <pre>{@code
 * try (MetaClient meta = new MetaClient(List.of("127.0.0.1:9871", "127.0.0.1:9872"))) {
 *   meta.mkdir("/logs/2026", true);
 *   for (FileStatus entry : meta.list("/logs")) System.out.println(entry.getPath());
 * }
 * }</pre>
 */
public final class MetaClient implements AutoCloseable {
  private static final String CONTENT_TYPE = "application/x-protobuf";

  private final List<String> masters;
  private final MetaClientOptions options;
  private final HttpClient http;
  // Java 17's HttpClient cannot be closed; its threads are ours so close() can end them.
  private final ExecutorService httpThreads;
  private final String clientId = UUID.randomUUID().toString();
  private final AtomicLong nextCallId = new AtomicLong(1);
  private final ConcurrentSkipListSet<Long> callsInFlight = new ConcurrentSkipListSet<>();
  private final AtomicInteger leaderIndex = new AtomicInteger();
  private volatile String leaderHint;

  public MetaClient(List<String> masterHttpAddresses) {
    this(masterHttpAddresses, MetaClientOptions.DEFAULTS);
  }

  public MetaClient(List<String> masterHttpAddresses, MetaClientOptions options) {
    if (masterHttpAddresses.isEmpty()) {
      throw new IllegalArgumentException("no master addresses given");
    }
    this.masters = List.copyOf(masterHttpAddresses);
    this.options = options;
    this.httpThreads =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, "meta-client-http");
              thread.setDaemon(true);
              return thread;
            });
    this.http =
        HttpClient.newBuilder()
            .executor(httpThreads)
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(options.attemptTimeout())
            .build();
  }

  public List<String> masters() {
    return masters;
  }

  public FileStatus mkdir(String path, boolean parents) {
    return call(MetaRequest.newBuilder()
            .setMkdir(MkdirRequest.newBuilder().setPath(path).setParents(parents)))
        .getStatus();
  }

  public List<FileStatus> list(String path) {
    return call(MetaRequest.newBuilder().setList(ListRequest.newBuilder().setPath(path)))
        .getListing()
        .getEntriesList();
  }

  public FileStatus stat(String path) {
    return call(MetaRequest.newBuilder().setStat(StatRequest.newBuilder().setPath(path)))
        .getStatus();
  }

  public BlockLocations getBlockLocations(String path) {
    return call(MetaRequest.newBuilder()
            .setGetBlockLocations(GetBlockLocationsRequest.newBuilder().setPath(path)))
        .getLocations();
  }

  /**
   * Reserves {@code count} new block ids for {@code path} and chooses their data nodes; nothing is
   * visible until {@link #commitFile}. The first replica of each block is the head of its write
   * chain.
   */
  public List<LocatedBlock> allocateBlocks(
      String path, int replication, int count, long blockSize, Collection<String> excludeNodeIds) {
    return call(MetaRequest.newBuilder()
            .setAllocateBlocks(
                AllocateBlocksRequest.newBuilder()
                    .setPath(path)
                    .setReplication(replication)
                    .setCount(count)
                    .setBlockSize(blockSize)
                    .addAllExcludeNodeIds(excludeNodeIds)))
        .getAllocated()
        .getBlocksList();
  }

  /** Makes the file appear (or replace the old version) with exactly these blocks, atomically. */
  public FileStatus commitFile(
      String path, List<BlockInfo> blocks, int replication, long blockSize, boolean overwrite) {
    return call(MetaRequest.newBuilder()
            .setCommitFile(
                CommitFileRequest.newBuilder()
                    .setPath(path)
                    .addAllBlocks(blocks)
                    .setReplication(replication)
                    .setBlockSize(blockSize)
                    .setOverwrite(overwrite)))
        .getStatus();
  }

  public void rename(String source, String destination) {
    call(
        MetaRequest.newBuilder()
            .setRename(RenameRequest.newBuilder().setSource(source).setDestination(destination)));
  }

  public void delete(String path, boolean recursive) {
    call(
        MetaRequest.newBuilder()
            .setDelete(DeleteRequest.newBuilder().setPath(path).setRecursive(recursive)));
  }

  public void registerDataNode(String nodeId, String httpAddress, long capacityBytes) {
    call(
        MetaRequest.newBuilder()
            .setRegisterDataNode(
                RegisterDataNodeRequest.newBuilder()
                    .setNodeId(nodeId)
                    .setHttpAddress(httpAddress)
                    .setCapacityBytes(capacityBytes)));
  }

  public ClusterStatus clusterStatus() {
    return call(MetaRequest.newBuilder()
            .setClusterStatus(ClusterStatusRequest.getDefaultInstance()))
        .getCluster();
  }

  /** Tells the leader that a replica failed its checksum, so it gets replaced. */
  public void reportBadReplica(long blockId, String nodeId) {
    call(
        MetaRequest.newBuilder()
            .setReportBadReplica(
                ReportBadReplicaRequest.newBuilder().setBlockId(blockId).setNodeId(nodeId)));
  }

  /** Drains a data node: its blocks get copied elsewhere; status shows the progress. */
  public void decommission(String nodeId) {
    call(
        MetaRequest.newBuilder()
            .setDecommission(DecommissionRequest.newBuilder().setNodeId(nodeId)));
  }

  /** The health of every block of every file under {@code path}. */
  public FsckReport fsck(String path) {
    return call(MetaRequest.newBuilder().setFsck(FsckRequest.newBuilder().setPath(path))).getFsck();
  }

  private MetaResponse call(MetaRequest.Builder request) {
    long callId = nextCallId.getAndIncrement();
    callsInFlight.add(callId);
    try {
      request.setClientId(clientId).setCallId(callId);
      MetaResponse response = callUntilAnswered(request);
      if (response.getError() != ErrorCode.OK) {
        throw MetaException.of(response.getError(), response.getMessage());
      }
      return response;
    } finally {
      callsInFlight.remove(callId);
    }
  }

  private MetaResponse callUntilAnswered(MetaRequest.Builder request) {
    long deadline = System.nanoTime() + options.callDeadline().toNanos();
    long backoffMillis = 25;
    int failuresThisRound = 0;
    String lastProblem = "no master tried";
    while (true) {
      String target = currentTarget();
      request.setAnsweredBelow(callsInFlight.isEmpty() ? 0 : callsInFlight.first());
      try {
        MetaResponse response = send(target, request.build());
        if (response.getError() == ErrorCode.NOT_LEADER) {
          lastProblem = target + " is not the leader";
          followHint(target, response.getLeaderHint());
        } else if (response.getError() == ErrorCode.UNAVAILABLE) {
          lastProblem = target + ": " + response.getMessage();
          failuresThisRound++;
        } else {
          leaderHint = target;
          return response;
        }
      } catch (IOException e) {
        lastProblem = target + ": " + describe(e);
        moveToNextMaster(target);
        failuresThisRound++;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new MastersUnavailableException("interrupted while calling the masters");
      }
      if (System.nanoTime() - deadline > 0) {
        throw new MastersUnavailableException(
            "no leader among " + String.join(",", masters) + " (" + lastProblem + ")");
      }
      if (failuresThisRound >= masters.size() || leaderHint == null) {
        sleepQuietly(backoffMillis);
        backoffMillis = Math.min(backoffMillis * 2, options.maxBackoff().toMillis());
        failuresThisRound = 0;
      }
    }
  }

  private MetaResponse send(String master, MetaRequest request)
      throws IOException, InterruptedException {
    HttpRequest httpRequest =
        HttpRequest.newBuilder(URI.create("http://" + master + "/v1/meta"))
            .timeout(options.attemptTimeout())
            .header("Content-Type", CONTENT_TYPE)
            .POST(HttpRequest.BodyPublishers.ofByteArray(request.toByteArray()))
            .build();
    HttpResponse<byte[]> response = http.send(httpRequest, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IOException("HTTP " + response.statusCode());
    }
    return MetaResponse.parseFrom(response.body());
  }

  private String currentTarget() {
    String hint = leaderHint;
    return hint != null ? hint : masters.get(Math.floorMod(leaderIndex.get(), masters.size()));
  }

  private void followHint(String target, String hint) {
    if (!hint.isEmpty() && !hint.equals(target)) {
      leaderHint = hint;
    } else {
      moveToNextMaster(target);
    }
  }

  private void moveToNextMaster(String failed) {
    leaderHint = null;
    int index = masters.indexOf(failed);
    leaderIndex.set(index >= 0 ? index + 1 : leaderIndex.get() + 1);
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MastersUnavailableException("interrupted while waiting for a leader");
    }
  }

  @Override
  public void close() {
    httpThreads.shutdownNow();
  }
}
