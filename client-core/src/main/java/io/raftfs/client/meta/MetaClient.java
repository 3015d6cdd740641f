package io.raftfs.client.meta;

import io.raftfs.auth.AccessKey;
import io.raftfs.auth.RequestSigner;
import io.raftfs.auth.SigningScope;
import io.raftfs.concurrent.DaemonThreads;
import io.raftfs.http.DeadlineExceededException;
import io.raftfs.http.HttpConnection;
import io.raftfs.http.HttpConnectionPool;
import io.raftfs.http.HttpResponse;
import io.raftfs.proto.AddUserRequest;
import io.raftfs.proto.AllocateBlocksRequest;
import io.raftfs.proto.BlockInfo;
import io.raftfs.proto.BlockLocations;
import io.raftfs.proto.ClusterStatus;
import io.raftfs.proto.ClusterStatusRequest;
import io.raftfs.proto.CommitFileRequest;
import io.raftfs.proto.ConcatRequest;
import io.raftfs.proto.DecommissionRequest;
import io.raftfs.proto.DeleteRequest;
import io.raftfs.proto.EndUserProof;
import io.raftfs.proto.ErrorCode;
import io.raftfs.proto.FileStatus;
import io.raftfs.proto.FsckReport;
import io.raftfs.proto.FsckRequest;
import io.raftfs.proto.GetBlockLocationsRequest;
import io.raftfs.proto.ListRequest;
import io.raftfs.proto.ListUsersRequest;
import io.raftfs.proto.Listing;
import io.raftfs.proto.LocatedBlock;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaRequestList;
import io.raftfs.proto.MetaResponse;
import io.raftfs.proto.MetaResponseList;
import io.raftfs.proto.MkdirRequest;
import io.raftfs.proto.RecommissionRequest;
import io.raftfs.proto.RegisterDataNodeRequest;
import io.raftfs.proto.RemoveUserRequest;
import io.raftfs.proto.RenameRequest;
import io.raftfs.proto.ReportBadReplicaRequest;
import io.raftfs.proto.ReportGatewayRequest;
import io.raftfs.proto.RotateUserKeyRequest;
import io.raftfs.proto.SetOwnerRequest;
import io.raftfs.proto.SetPermissionRequest;
import io.raftfs.proto.SigningKeyRequest;
import io.raftfs.proto.StatRequest;
import io.raftfs.proto.UserInfo;
import io.raftfs.protocol.MetaLimits;
import io.raftfs.tls.ClientTls;
import io.raftfs.tls.NodeName;
import io.raftfs.tls.TlsFailedException;
import io.raftfs.tls.TlsIdentity;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLException;

/**
 * The metadata API of raftfs for other modules: typed calls against the masters' {@code POST
 * /v1/meta} endpoint.
 *
 * <p>It follows the leader (a follower's {@code NOT_LEADER} answer names it, and a name outside the
 * configured masters is ignored), retries across leader changes and dead masters with growing
 * pauses until the call's deadline, and keeps one call id per logical call so a retried write is
 * answered from the masters' dedup table instead of being applied twice. Callers never see {@code
 * NOT_LEADER}; failures arrive as {@link MetaException} subclasses. Thread-safe; calls block.
 *
 * <pre>{@code
 * try (MetaClient meta = new MetaClient(List.of("127.0.0.1:9871", "127.0.0.1:9872"))) {
 *   meta.mkdir("/logs/2026", true);
 *   for (FileStatus entry : meta.list("/logs")) System.out.println(entry.getPath());
 * }
 * }</pre>
 */
public final class MetaClient implements AutoCloseable {
  private static final String PATH = "/v1/meta";
  private static final Map<String, String> CONTENT_HEADERS =
      Map.of("Content-Type", "application/x-protobuf");
  private static final int MAX_ERROR_BYTES = 4096;
  // Concurrent calls share HTTP exchanges: at most this many exchanges in flight, each
  // carrying up to MAX_CALLS_PER_EXCHANGE calls, so per-request costs are paid per batch; a
  // master takes up to MetaLimits.MAX_REQUESTS_PER_EXCHANGE.
  private static final int MAX_EXCHANGES_IN_FLIGHT = 4;
  private static final int MAX_CALLS_PER_EXCHANGE = 512;
  // Below the masters' idle timeout (raftfs.master.http.idle.timeout.ms, 120 s).
  private static final Duration MAX_IDLE = Duration.ofSeconds(60);
  // A batch of listings of large directories can be big; a master claiming more is refused.
  private static final int MAX_ANSWER_BYTES = 256 << 20;

  private final List<String> masters;
  private final MetaClientOptions options;
  private final HttpConnectionPool connections;
  private final String clientId = UUID.randomUUID().toString();
  private final AtomicLong nextCallId = new AtomicLong(1);
  private final ConcurrentSkipListSet<Long> callsInFlight = new ConcurrentSkipListSet<>();
  private final AtomicInteger leaderIndex = new AtomicInteger();
  private volatile String leaderHint;
  // Calls waiting for an HTTP exchange; guarded by this.
  private final ArrayDeque<Call> ready = new ArrayDeque<>();
  private int exchangesInFlight;
  private boolean closed;
  private final ScheduledExecutorService timer;
  private final RequestSigner signer;
  private final ThreadLocal<EndUserProof> endUser = new ThreadLocal<>();

  public MetaClient(List<String> masterHttpAddresses) {
    this(masterHttpAddresses, MetaClientOptions.DEFAULTS);
  }

  /** A client whose requests go unsigned: the masters take only data nodes' own reports so. */
  public MetaClient(List<String> masterHttpAddresses, MetaClientOptions options) {
    this(masterHttpAddresses, options, null);
  }

  /**
   * A client that signs every exchange with {@code credentials} (null: unsigned, as {@link
   * #MetaClient(List, MetaClientOptions)}).
   */
  public MetaClient(
      List<String> masterHttpAddresses, MetaClientOptions options, AccessKey credentials) {
    this(masterHttpAddresses, options, credentials, null);
  }

  /**
   * A client that signs with {@code credentials} (null: unsigned) and talks TLS with {@code tls}
   * (null: plaintext), accepting only master certificates.
   */
  public MetaClient(
      List<String> masterHttpAddresses,
      MetaClientOptions options,
      AccessKey credentials,
      TlsIdentity tls) {
    if (masterHttpAddresses.isEmpty()) {
      throw new IllegalArgumentException("no master addresses given");
    }
    this.masters = List.copyOf(masterHttpAddresses);
    this.options = options;
    this.signer =
        credentials == null
            ? null
            : new RequestSigner(credentials, SigningScope.RAFTFS, Clock.systemUTC());
    this.timer =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("meta-client-retry"));
    this.connections =
        new HttpConnectionPool(
            options.attemptTimeout(),
            MAX_IDLE,
            tls == null ? null : new ClientTls(tls, NodeName.Role.MASTER));
  }

  public List<String> masters() {
    return masters;
  }

  /**
   * Makes the calls this thread starts, until the returned scope is closed, carry an end user's S3
   * proof: the masters verify it and run them as that user (an S3 gateway, signing with a
   * superuser's key, serves each request so). Calls a client library makes on its own pool threads
   * do not carry it.
   */
  public EndUserScope actingFor(EndUserProof proof) {
    EndUserProof previous = endUser.get();
    endUser.set(proof);
    return () -> endUser.set(previous);
  }

  /** Ends {@link #actingFor}; does not throw. */
  public interface EndUserScope extends AutoCloseable {
    @Override
    void close();
  }

  /** A directory with the masters' default mode, 0755. */
  public FileStatus mkdir(String path, boolean parents) {
    return call(MetaRequest.newBuilder()
            .setMkdir(MkdirRequest.newBuilder().setPath(path).setParents(parents)))
        .getStatus();
  }

  /** A directory with {@code mode} (missing ancestors made on the way get {@code u+wx} too). */
  public FileStatus mkdir(String path, boolean parents, int mode) {
    return call(MetaRequest.newBuilder()
            .setMkdir(MkdirRequest.newBuilder().setPath(path).setParents(parents).setMode(mode)))
        .getStatus();
  }

  /** chmod: the entry's mode bits (owner or superuser only). */
  public FileStatus setPermission(String path, int permission) {
    return call(MetaRequest.newBuilder()
            .setSetPermission(
                SetPermissionRequest.newBuilder().setPath(path).setPermission(permission)))
        .getStatus();
  }

  /**
   * chown: the entry's owner (superuser only) and group (its owner may pick one of its groups); an
   * empty one is kept.
   */
  public FileStatus setOwner(String path, String owner, String group) {
    return call(MetaRequest.newBuilder()
            .setSetOwner(
                SetOwnerRequest.newBuilder().setPath(path).setOwner(owner).setGroup(group)))
        .getStatus();
  }

  public List<FileStatus> list(String path) {
    return call(MetaRequest.newBuilder().setList(ListRequest.newBuilder().setPath(path)))
        .getListing()
        .getEntriesList();
  }

  /**
   * One page of a directory's entries, sorted by name: those after {@code startAfter} (empty: from
   * the first), at most {@code limit} (0: all). {@link io.raftfs.proto.Listing#getTruncated()} says
   * whether more follow.
   */
  public Listing listPage(String path, String startAfter, int limit) {
    return call(MetaRequest.newBuilder()
            .setList(
                ListRequest.newBuilder().setPath(path).setStartAfter(startAfter).setLimit(limit)))
        .getListing();
  }

  /**
   * Tells the leader this S3 gateway runs, for the cluster page (superuser only; nothing is
   * logged).
   */
  public void reportGateway(ReportGatewayRequest report) {
    call(MetaRequest.newBuilder().setReportGateway(report));
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
   * chain. Fails as the commit would (no parent directory, a directory there, or, unless {@code
   * overwrite}, a file there), so a put learns it before sending any byte.
   */
  public List<LocatedBlock> allocateBlocks(
      String path,
      int replication,
      int count,
      long blockSize,
      Collection<String> excludeNodeIds,
      boolean overwrite) {
    return call(MetaRequest.newBuilder()
            .setAllocateBlocks(
                AllocateBlocksRequest.newBuilder()
                    .setPath(path)
                    .setReplication(replication)
                    .setCount(count)
                    .setBlockSize(blockSize)
                    .addAllExcludeNodeIds(excludeNodeIds)
                    .setOverwrite(overwrite)))
        .getAllocated()
        .getBlocksList();
  }

  /**
   * Makes the file appear (or replace the old version) with exactly these blocks, atomically; a new
   * file gets the masters' default mode, 0644.
   */
  public FileStatus commitFile(
      String path, List<BlockInfo> blocks, int replication, long blockSize, boolean overwrite) {
    return commitFile(
        CommitFileRequest.newBuilder()
            .setPath(path)
            .addAllBlocks(blocks)
            .setReplication(replication)
            .setBlockSize(blockSize)
            .setOverwrite(overwrite));
  }

  /** {@link #commitFile(String, List, int, long, boolean)}, a new file with {@code mode}. */
  public FileStatus commitFile(
      String path,
      List<BlockInfo> blocks,
      int replication,
      long blockSize,
      boolean overwrite,
      int mode) {
    return commitFile(path, blocks, replication, blockSize, overwrite, mode, Map.of());
  }

  /**
   * As {@link #commitFile(String, List, int, long, boolean, int)}, storing {@code attributes} with
   * the file (bounded: {@link MetaLimits#MAX_FILE_ATTRIBUTES}, {@link
   * MetaLimits#MAX_FILE_ATTRIBUTE_BYTES}).
   */
  public FileStatus commitFile(
      String path,
      List<BlockInfo> blocks,
      int replication,
      long blockSize,
      boolean overwrite,
      int mode,
      Map<String, String> attributes) {
    return commitFile(
        CommitFileRequest.newBuilder()
            .setPath(path)
            .addAllBlocks(blocks)
            .setReplication(replication)
            .setBlockSize(blockSize)
            .setOverwrite(overwrite)
            .setMode(mode)
            .putAllAttributes(attributes));
  }

  private FileStatus commitFile(CommitFileRequest.Builder commit) {
    return call(MetaRequest.newBuilder().setCommitFile(commit)).getStatus();
  }

  /**
   * Makes {@code target} a file of the blocks of {@code sources} in order, without moving a byte,
   * and removes the sources, atomically (see {@link ConcatRequest}).
   *
   * @param mode a new file's mode
   * @param removeParent also remove the one directory holding every source, with all left in it
   */
  public FileStatus concat(
      String target,
      List<String> sources,
      boolean overwrite,
      Map<String, String> attributes,
      int mode,
      boolean removeParent) {
    return call(MetaRequest.newBuilder()
            .setConcat(
                ConcatRequest.newBuilder()
                    .setTarget(target)
                    .addAllSources(sources)
                    .setOverwrite(overwrite)
                    .putAllAttributes(attributes)
                    .setMode(mode)
                    .setRemoveParent(removeParent)))
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

  /** Returns a decommissioning or decommissioned data node to service. */
  public void recommission(String nodeId) {
    call(
        MetaRequest.newBuilder()
            .setRecommission(RecommissionRequest.newBuilder().setNodeId(nodeId)));
  }

  /**
   * Adds a user with a new access key (superuser only); the answer holds the secret key, the only
   * time it is shown.
   */
  public UserInfo addUser(String name, List<String> groups) {
    return call(MetaRequest.newBuilder()
            .setAddUser(AddUserRequest.newBuilder().setName(name).addAllGroups(groups)))
        .getUser();
  }

  /** Every user, by name, without secrets (superuser only). */
  public List<UserInfo> listUsers() {
    return call(MetaRequest.newBuilder().setListUsers(ListUsersRequest.getDefaultInstance()))
        .getUsers()
        .getUsersList();
  }

  /** Removes a user; its key is refused from then on (superuser only). */
  public void removeUser(String name) {
    call(MetaRequest.newBuilder().setRemoveUser(RemoveUserRequest.newBuilder().setName(name)));
  }

  /**
   * Gives the user's access key a new secret, returned once; the old one is refused from then on
   * (superuser only).
   */
  public UserInfo rotateUserKey(String name) {
    return call(MetaRequest.newBuilder()
            .setRotateUserKey(RotateUserKeyRequest.newBuilder().setName(name)))
        .getUser();
  }

  /**
   * The SigV4 signing key of the end user this thread acts for ({@link #actingFor}), for the day
   * and region of its proof: what an S3 gateway checks chunk signatures with. Empty when the
   * masters run without auth. Only a superuser's client gets it, and only with a valid proof.
   */
  public byte[] signingKey() {
    return call(MetaRequest.newBuilder().setSigningKey(SigningKeyRequest.getDefaultInstance()))
        .getSigningKey()
        .getKey()
        .toByteArray();
  }

  /** The health of every block of every file under {@code path}. */
  public FsckReport fsck(String path) {
    return call(MetaRequest.newBuilder().setFsck(FsckRequest.newBuilder().setPath(path))).getFsck();
  }

  private MetaResponse call(MetaRequest.Builder request) {
    Call call = new Call(request, nextCallId.getAndIncrement());
    callsInFlight.add(call.callId);
    request.setClientId(clientId).setCallId(call.callId);
    EndUserProof proof = endUser.get();
    if (proof != null) {
      request.setEndUser(proof);
    }
    enqueue(call);
    // The calling thread sends whatever calls are ready, its own and others', while an exchange
    // may start; otherwise it sleeps until its call is answered, needs a sender again or is out of
    // time. It ends its own call at the deadline wherever the call is: queued, waiting for a
    // retry, or in an exchange another thread is stuck in.
    while (!call.result.isDone()) {
      long left = call.deadlineNanos - System.nanoTime();
      if (left <= 0) {
        abandon(call, outOfTime(call));
        break;
      }
      try (Batch batch = takeBatch()) {
        if (batch != null) {
          exchange(batch.calls, call.deadlineNanos);
        } else {
          LockSupport.parkNanos(this, Math.min(left, options.attemptTimeout().toNanos()));
        }
      }
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        abandon(call, new MastersUnavailableException("interrupted while calling the masters"));
      }
    }
    MetaResponse response;
    try {
      response = call.result.getNow(null);
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw new MastersUnavailableException(String.valueOf(e.getCause()));
    }
    if (response.getError() != ErrorCode.OK) {
      throw MetaException.of(response.getError(), response.getMessage());
    }
    return response;
  }

  /** One logical call: the same call id on every attempt, until its deadline. */
  private final class Call {
    final MetaRequest.Builder request;
    final long callId;
    final Thread owner = Thread.currentThread();
    final long deadlineNanos = System.nanoTime() + options.callDeadline().toNanos();
    final CompletableFuture<MetaResponse> result = new CompletableFuture<>();
    long backoffMillis = 25;
    int failuresSinceBackoff;
    // Written by whichever thread carried the last attempt, read by the owner at its deadline.
    volatile String lastProblem;

    Call(MetaRequest.Builder request, long callId) {
      this.request = request;
      this.callId = callId;
    }

    /** Wakes the calling thread: its call is answered, or waits for a sender. */
    void wake() {
      LockSupport.unpark(owner);
    }
  }

  private void enqueue(Call call) {
    if (call.result.isDone()) {
      return; // its owner gave up on it while it waited for a retry
    }
    synchronized (this) {
      if (!closed) {
        ready.add(call);
        return;
      }
    }
    finish(call, null, new MastersUnavailableException("the client is closed"));
  }

  /**
   * The calls of one exchange and its place among the MAX_EXCHANGES_IN_FLIGHT. Closing it gives the
   * place back whatever happened in the exchange: a place lost to an exception would be lost for
   * good, and with all of them lost no call could be sent again.
   */
  private final class Batch implements AutoCloseable {
    final List<Call> calls;

    Batch(List<Call> calls) {
      this.calls = calls;
    }

    /**
     * Calls waiting for a sender (queued meanwhile, or just requeued) get one: the first one's own
     * thread, which takes them all.
     */
    @Override
    public void close() {
      Call next;
      synchronized (MetaClient.this) {
        exchangesInFlight--;
        next = ready.peek();
      }
      if (next != null) {
        next.wake();
      }
    }
  }

  /**
   * Up to MAX_CALLS_PER_EXCHANGE ready calls allocating at most {@link
   * MetaLimits#MAX_BLOCKS_PER_EXCHANGE} blocks together (a master refuses more), if an exchange may
   * start now; else null.
   */
  private synchronized Batch takeBatch() {
    if (closed || exchangesInFlight >= MAX_EXCHANGES_IN_FLIGHT || ready.isEmpty()) {
      return null;
    }
    List<Call> calls = new ArrayList<>(Math.min(ready.size(), MAX_CALLS_PER_EXCHANGE));
    long blocks = 0;
    while (!ready.isEmpty() && calls.size() < MAX_CALLS_PER_EXCHANGE) {
      long more = ready.peek().request.getAllocateBlocks().getCount();
      if (!calls.isEmpty() && blocks + more > MetaLimits.MAX_BLOCKS_PER_EXCHANGE) {
        break;
      }
      blocks += more;
      calls.add(ready.poll());
    }
    exchangesInFlight++;
    return new Batch(calls);
  }

  /**
   * One HTTP exchange carrying {@code batch}, on this thread; answers or requeues every call. It
   * lasts at most an attempt, and no longer than {@code carrierDeadlineNanos}: the deadline of the
   * call of the thread that carries it, which must not be held past it.
   */
  private void exchange(List<Call> batch, long carrierDeadlineNanos) {
    String target = currentTarget();
    long answeredBelow = callsInFlight.isEmpty() ? 0 : callsInFlight.first();
    MetaRequestList.Builder list = MetaRequestList.newBuilder();
    for (Call call : batch) {
      list.addRequests(call.request.setAnsweredBelow(answeredBelow));
    }
    long carrierLeftNanos = carrierDeadlineNanos - System.nanoTime();
    long attemptNanos = options.attemptTimeout().toNanos();
    boolean carrierBound = carrierLeftNanos < attemptNanos;
    byte[] answer = null;
    String problem = null;
    boolean badAddress = false;
    boolean carrierGaveUp = false;
    RuntimeException refused = null;
    try {
      Duration deadline =
          carrierBound ? Duration.ofNanos(carrierLeftNanos) : options.attemptTimeout();
      answer = post(target, list.build().toByteArray(), deadline);
    } catch (AuthenticationFailedException e) {
      refused = e;
    } catch (IOException e) {
      if (e instanceof SSLException && !Thread.currentThread().isInterrupted()) {
        refused = new TlsFailedException(target + ": TLS failed: " + describe(e), e);
      } else {
        problem = target + ": " + describe(e);
        badAddress = e.getCause() instanceof IllegalArgumentException; // not host:port
        carrierGaveUp =
            Thread.currentThread().isInterrupted()
                || (carrierBound && e instanceof DeadlineExceededException);
      }
    }
    if (refused != null) {
      // Every master checks signatures against the same keys, and has a certificate from the same
      // CA: another would refuse as well.
      RuntimeException failure = refused;
      batch.forEach(call -> finish(call, null, failure));
    } else if (badAddress) {
      batch.forEach(
          call ->
              finish(call, null, new MastersUnavailableException("bad master address " + target)));
    } else if (carrierGaveUp) {
      // This thread's caller gave up, not the master: the others' calls go again as they were.
      batch.forEach(this::enqueue);
    } else {
      answered(target, batch, answer, problem);
    }
  }

  /** POSTs one request list and returns the answer's body, all of it within {@code deadline}. */
  private byte[] post(String target, byte[] body, Duration deadline) throws IOException {
    try (HttpResponse response =
        connections.exchange(target, options.attemptTimeout(), deadline, c -> send(c, body))) {
      if (response.status() == 401) {
        throw new AuthenticationFailedException(
            target + ": " + ErrorAnswers.reason(response.bodyText(MAX_ERROR_BYTES)));
      }
      if (response.status() != 200) {
        throw new IOException("HTTP " + response.status());
      }
      return response.bodyBytes(MAX_ANSWER_BYTES);
    }
  }

  /** Writes the request; one that may not fit the socket's buffer is cut off at the timeout. */
  private void send(HttpConnection connection, byte[] body) throws IOException {
    ScheduledFuture<?> watchdog =
        connection.mayBlockWriting(body.length)
            ? timer.schedule(
                connection::close, options.attemptTimeout().toMillis(), TimeUnit.MILLISECONDS)
            : null;
    try {
      connection.send(
          "POST", PATH, headers(connection, body), new ByteArrayInputStream(body), body.length);
    } finally {
      if (watchdog != null) {
        watchdog.cancel(false);
      }
    }
  }

  private Map<String, String> headers(HttpConnection connection, byte[] body) {
    Map<String, String> headers = new LinkedHashMap<>(CONTENT_HEADERS);
    if (signer != null) {
      headers.putAll(signer.sign("POST", PATH, "", connection.address(), CONTENT_HEADERS, body));
    }
    return headers;
  }

  private void answered(String target, List<Call> batch, byte[] answer, String problem) {
    MetaResponseList responses = null;
    if (problem == null) {
      try {
        responses = MetaResponseList.parseFrom(answer);
        if (responses.getResponsesCount() != batch.size()) {
          problem =
              target
                  + ": "
                  + responses.getResponsesCount()
                  + " answers to "
                  + batch.size()
                  + " calls";
        }
      } catch (IOException e) {
        problem = target + ": unreadable answer";
      }
    }
    if (problem != null) {
      moveToNextMaster(target);
      for (Call call : batch) {
        call.failuresSinceBackoff++;
        retry(call, problem, call.failuresSinceBackoff >= masters.size());
      }
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      Call call = batch.get(i);
      MetaResponse response = responses.getResponses(i);
      if (response.getError() == ErrorCode.NOT_LEADER) {
        boolean hinted = followHint(target, response.getLeaderHint());
        retry(call, target + " is not the leader", !hinted);
      } else if (response.getError() == ErrorCode.UNAVAILABLE) {
        retry(call, target + ": " + response.getMessage(), true);
      } else {
        leaderHint = target;
        finish(call, response, null);
      }
    }
  }

  /** Tries the call again, at once or after its next back-off pause, unless its time is up. */
  private void retry(Call call, String problem, boolean pauseFirst) {
    call.lastProblem = problem;
    if (System.nanoTime() - call.deadlineNanos > 0) {
      finish(call, null, outOfTime(call));
      return;
    }
    if (!pauseFirst) {
      enqueue(call);
      return;
    }
    long pause = call.backoffMillis;
    call.backoffMillis = Math.min(call.backoffMillis * 2, options.maxBackoff().toMillis());
    call.failuresSinceBackoff = 0;
    try {
      timer.schedule(
          () -> {
            enqueue(call);
            call.wake();
          },
          pause,
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      finish(call, null, new MastersUnavailableException("the client is closed"));
    }
  }

  private MastersUnavailableException outOfTime(Call call) {
    String problem = call.lastProblem;
    if (problem == null) {
      problem = "no answer within " + options.callDeadline().toMillis() + " ms";
    }
    return new MastersUnavailableException(
        "no leader among " + String.join(",", masters) + " (" + problem + ")");
  }

  /** Ends a call its own thread gives up on; an answer that comes later is dropped. */
  private void abandon(Call call, RuntimeException failure) {
    synchronized (this) {
      ready.remove(call);
    }
    finish(call, null, failure);
  }

  private void finish(Call call, MetaResponse answer, RuntimeException failure) {
    callsInFlight.remove(call.callId);
    if (failure != null) {
      call.result.completeExceptionally(failure);
    } else {
      call.result.complete(answer);
    }
    call.wake();
  }

  private String currentTarget() {
    String hint = leaderHint;
    return hint != null ? hint : masters.get(Math.floorMod(leaderIndex.get(), masters.size()));
  }

  /**
   * Follows a leader hint; returns false when there was none worth following. Only to a configured
   * master: a hint is what one master believes, and a confused or hostile one must not send the
   * client's calls (and their paths) to an address nobody configured.
   */
  private boolean followHint(String target, String hint) {
    if (!hint.equals(target) && masters.contains(hint)) {
      leaderHint = hint;
      return true;
    }
    moveToNextMaster(target);
    return false;
  }

  private void moveToNextMaster(String failed) {
    leaderHint = null;
    int index = masters.indexOf(failed);
    leaderIndex.set(index >= 0 ? index + 1 : leaderIndex.get() + 1);
  }

  private static String describe(Throwable failure) {
    String message = failure.getMessage();
    return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
  }

  @Override
  public void close() {
    List<Call> abandoned;
    synchronized (this) {
      closed = true;
      abandoned = new ArrayList<>(ready);
      ready.clear();
    }
    abandoned.forEach(
        call -> finish(call, null, new MastersUnavailableException("the client is closed")));
    timer.shutdownNow();
    connections.close();
  }
}
