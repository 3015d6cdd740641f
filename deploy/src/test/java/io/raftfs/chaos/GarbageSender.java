package io.raftfs.chaos;

import io.raftfs.client.meta.MetaClient;
import io.raftfs.client.meta.MetaClientOptions;
import io.raftfs.proto.BlockReport;
import io.raftfs.proto.BlockReportResponse;
import io.raftfs.proto.DataNodeStatus;
import io.raftfs.proto.FileStatus;
import io.raftfs.proto.Heartbeat;
import io.raftfs.proto.HeartbeatResponse;
import io.raftfs.proto.LocatedBlock;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaRequestList;
import io.raftfs.proto.ReportBadReplicaRequest;
import io.raftfs.proto.StatRequest;
import io.raftfs.testing.cluster.ClusterProcess;
import io.raftfs.testing.http.RawHttp;
import io.raftfs.testing.http.RawHttp.Answer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Sends garbage to every master and data node while the workload runs, one thread per process:
 * random bytes on a raw socket, random and truncated protobuf bodies (as {@code
 * application/x-protobuf}, so they reach the parsers) to {@code /v1/meta}, {@code /v1/heartbeat}
 * and {@code /v1/blockreport}, oversized and malformed headers, bad block ids and ranges, block
 * uploads whose bytes do not match their CRC32C, and lies: heartbeats and empty full block reports
 * claiming a real data node's id (with huge free space, or another address), and {@code
 * report_bad_replica} for real replicas.
 *
 * <p>The lies come from another host ({@code 127.0.0.2} when the cluster runs on loopback; the root
 * namespace's address with network namespaces): the masters believe a node's reports only from its
 * registered host (docs/protocol.md), so any heartbeat or block report lie answered {@code
 * registered=true} is a violation, and so is any {@code 5xx} but a full disk's {@code 507} to an
 * upload. Everything else must simply not cost an acknowledged byte: the run's usual checks. On
 * loopback, empty full block reports also come from the nodes' own host ({@code 127.0.0.1}): the
 * masters believe those (a node whose disk was wiped says just that), and until the node's next
 * full report they must not lose a byte over it either.
 */
final class GarbageSender {
  private static final String PROTOBUF = "application/x-protobuf";

  /** A block the metadata names, and one node that holds it. */
  private record RealBlock(long blockId, String nodeId) {}

  private final ChaosCluster cluster;
  private final History history;
  private final long seed;

  /**
   * Where the garbage comes from: not the nodes' host (127.0.0.2 on loopback); null: any address.
   */
  private final InetAddress from;

  /** The data nodes' own host when they all run on loopback; else null. */
  private final InetAddress nodesHost;

  private final MetaClient meta;
  private final List<Thread> threads = new ArrayList<>();
  private final Map<String, Integer> sent = new TreeMap<>();
  private final Map<String, Integer> answers = new TreeMap<>();
  private volatile boolean stopping;
  private volatile List<DataNodeStatus> realNodes = List.of();
  private volatile List<RealBlock> realBlocks = List.of();

  GarbageSender(ChaosCluster cluster, History history, long seed) {
    this.cluster = cluster;
    this.history = history;
    this.seed = seed;
    this.from = cluster.netns() == null ? loopback2() : null;
    this.nodesHost = cluster.netns() == null ? InetAddress.getLoopbackAddress() : null;
    this.meta =
        new MetaClient(
            cluster.masterAddresses(),
            new MetaClientOptions(
                Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofMillis(200)),
            cluster.rootKey());
  }

  private static InetAddress loopback2() {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, 2});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  void start() {
    threads.add(new Thread(this::scout, "garbage-scout"));
    int i = 0;
    for (ClusterProcess node : cluster.masters()) {
      Random random = new Random(seed * 17 + i++);
      threads.add(new Thread(() -> sendTo(node, random), "garbage-" + node.name()));
    }
    for (ClusterProcess node : cluster.dataNodes()) {
      Random random = new Random(seed * 17 + i++);
      threads.add(new Thread(() -> sendTo(node, random), "garbage-" + node.name()));
    }
    threads.forEach(Thread::start);
  }

  /**
   * Stops sending and waits for the exchanges in flight (each ends within {@link
   * RawHttp#ANSWER_TIMEOUT}; call it once the nemesis healed, so none waits on a paused process).
   */
  void stop() throws InterruptedException {
    stopping = true;
    for (Thread thread : threads) {
      thread.join();
    }
    meta.close();
  }

  /** Requests sent, by kind. */
  synchronized Map<String, Integer> sent() {
    return new TreeMap<>(sent);
  }

  /** Answers by status class ({@code 2xx}..{@code 5xx}), or how the exchange ended without one. */
  synchronized Map<String, Integer> answers() {
    return new TreeMap<>(answers);
  }

  // ---------------------------------------------------------------- real ids for the lies

  /** Keeps {@link #realNodes} and {@link #realBlocks} fresh from the metadata. */
  private void scout() {
    Random random = new Random(seed);
    while (!stopping) {
      try {
        realNodes = meta.clusterStatus().getDataNodesList();
        List<FileStatus> clients = meta.list("/chaos");
        FileStatus client = clients.get(random.nextInt(clients.size()));
        List<FileStatus> generations = meta.list(client.getPath());
        FileStatus generation = generations.get(generations.size() - 1);
        List<RealBlock> blocks = new ArrayList<>();
        for (FileStatus file : meta.list(generation.getPath())) {
          for (LocatedBlock block : meta.getBlockLocations(file.getPath()).getBlocksList()) {
            block
                .getReplicasList()
                .forEach(
                    replica ->
                        blocks.add(
                            new RealBlock(block.getBlock().getBlockId(), replica.getNodeId())));
          }
        }
        if (!blocks.isEmpty()) {
          realBlocks = blocks;
        }
      } catch (RuntimeException e) {
        // no leader, nothing written yet, a file renamed meanwhile: try again
      }
      pause(2000);
    }
  }

  // ---------------------------------------------------------------- sending

  private void sendTo(ClusterProcess node, Random random) {
    while (!stopping) {
      try {
        if (node.isMaster()) {
          masterGarbage(node.httpAddress(), random);
        } else {
          dataNodeGarbage(node.httpAddress(), random);
        }
      } catch (ConnectException e) {
        record("refused");
      } catch (IOException e) {
        record("io error");
      }
      pause(100 + random.nextInt(100));
    }
  }

  private void masterGarbage(String address, Random random) throws IOException {
    switch (random.nextInt(13)) {
      case 0 -> raw("random bytes", address, random);
      case 1 -> post("meta: random", address, "/v1/meta", bytes(random, 1 + random.nextInt(2000)));
      case 2 -> post("meta: truncated", address, "/v1/meta", truncated(metaRequests(), random));
      case 3 -> post("heartbeat: random", address, "/v1/heartbeat", bytes(random, 300));
      case 4 ->
          post("heartbeat: truncated", address, "/v1/heartbeat", truncated(heartbeat(), random));
      case 5 -> post("blockreport: random", address, "/v1/blockreport", bytes(random, 1000));
      case 6 -> badHeaders(address, random, "POST /v1/meta");
      case 7 -> lieHeartbeat(address, random, true);
      case 8 -> lieHeartbeat(address, random, false);
      case 9 -> lieEmptyReport(address, random, false);
      case 10 -> lieBadReplica(address, random);
      case 11 -> lieEmptyReport(address, random, true);
      default ->
          post("blockreport: truncated", address, "/v1/blockreport", truncated(report(), random));
    }
  }

  private void dataNodeGarbage(String address, Random random) throws IOException {
    switch (random.nextInt(6)) {
      case 0 -> raw("random bytes", address, random);
      case 1 -> badHeaders(address, random, "GET /blocks/" + someBlockId(random));
      case 2 -> {
        // A CRC32C these bytes do not have: refused, never stored.
        byte[] body = bytes(random, 1 + random.nextInt(4000));
        String head =
            "PUT /blocks/"
                + (Long.MAX_VALUE - random.nextInt(1 << 30))
                + " HTTP/1.1\r\nContent-Length: "
                + body.length
                + "\r\nX-Raftfs-Crc32c: "
                + (crc32c(body) ^ 1);
        send("block put: wrong crc", address, head, body, true);
      }
      case 3 -> {
        String head =
            "PUT /blocks/"
                + (Long.MAX_VALUE - random.nextInt(1 << 30))
                + " HTTP/1.1\r\nContent-Length: 100000\r\nX-Raftfs-Crc32c: 1";
        // the body ends (half-close) long before its length
        send("block put: truncated", address, head, bytes(random, 100), true);
      }
      case 4 ->
          send(
              "block get: bad range",
              address,
              "GET /blocks/"
                  + someBlockId(random)
                  + " HTTP/1.1\r\nRange: bytes="
                  + List.of("99999999999-", "5-2", "-", "x-y", "1-2,3-4,5-6", "-0")
                      .get(random.nextInt(6)),
              new byte[0],
              false);
      default ->
          send(
              "block get: bad id",
              address,
              "GET /blocks/"
                  + List.of("-1", "18446744073709551616", "1e9", "%00", "..%2f..%2fetc")
                      .get(random.nextInt(5))
                  + " HTTP/1.1",
              new byte[0],
              false);
    }
  }

  /** Random bytes, then end of input: whatever the server makes of them. */
  private void raw(String kind, String address, Random random) throws IOException {
    count(kind);
    classify(
        kind, RawHttp.exchange(from, address, bytes(random, 1 + random.nextInt(4096)), 1, true));
  }

  /** An oversized header, a header line without a colon, or a header name of control bytes. */
  private void badHeaders(String address, Random random, String requestLine) throws IOException {
    String header =
        switch (random.nextInt(3)) {
          case 0 -> "X-Garbage: " + "a".repeat(64 * 1024 + random.nextInt(64 * 1024));
          case 1 -> "this line has no colon";
          default -> "X-\u0001\u007f: value";
        };
    send("bad headers", address, requestLine + " HTTP/1.1\r\n" + header, new byte[0], false);
  }

  /** A POST of {@code body} as protobuf, so it reaches the parser. */
  private Answer post(String kind, String address, String path, byte[] body) throws IOException {
    return post(from, kind, address, path, body);
  }

  private Answer post(InetAddress source, String kind, String address, String path, byte[] body)
      throws IOException {
    String head =
        "POST "
            + path
            + " HTTP/1.1\r\nContent-Type: "
            + PROTOBUF
            + "\r\nContent-Length: "
            + body.length;
    return send(source, kind, address, head, body, false);
  }

  private Answer send(String kind, String address, String head, byte[] body, boolean halfClose)
      throws IOException {
    return send(from, kind, address, head, body, halfClose);
  }

  private Answer send(
      InetAddress source, String kind, String address, String head, byte[] body, boolean halfClose)
      throws IOException {
    count(kind);
    String full = head + "\r\nHost: " + address + "\r\nConnection: close";
    return classify(
        kind, RawHttp.exchange(source, address, RawHttp.request(full, body), 1, halfClose));
  }

  private Answer classify(String kind, List<Answer> got) {
    Answer answer = got.get(got.size() - 1);
    if (answer.status() == Answer.CLOSED) {
      record("closed");
    } else if (answer.status() == Answer.HUNG) {
      record("no answer");
    } else {
      record(answer.status() / 100 + "xx");
      boolean fullDisk = answer.status() == 507 && kind.startsWith("block put");
      if (answer.status() >= 500 && !fullDisk) {
        history.violation("garbage-5xx", null, kind + " answered " + answer);
      }
    }
    return answer;
  }

  // ---------------------------------------------------------------- lies

  /** A heartbeat in a real node's name: huge free space at its address, or another address. */
  private void lieHeartbeat(String address, Random random, boolean hugeFreeSpace)
      throws IOException {
    DataNodeStatus node = someNode(random);
    if (node == null) {
      return;
    }
    Heartbeat.Builder lie =
        Heartbeat.newBuilder()
            .setNodeId(node.getNodeId())
            .setCapacityBytes(1L << 50)
            .setFreeBytes(1L << 50)
            .setUsedBytes(0)
            .setBlockCount(0);
    String kind;
    if (hugeFreeSpace) {
      kind = "lie: heartbeat, huge free space";
      lie.setHttpAddress(node.getHttpAddress());
    } else {
      kind = "lie: heartbeat, another address";
      lie.setHttpAddress("127.0.0.2:" + (1 + random.nextInt(65535)));
    }
    Answer answer = post(kind, address, "/v1/heartbeat", lie.build().toByteArray());
    if (answer.status() == 200 && HeartbeatResponse.parseFrom(answer.bytes()).getRegistered()) {
      history.violation(
          "lie-believed", null, kind + " in the name of " + node.getNodeId() + " was believed");
    }
  }

  /**
   * A full block report in a real node's name that says it holds nothing: from another host (it
   * must be refused), or from the node's own host (believed).
   */
  private void lieEmptyReport(String address, Random random, boolean fromNodesHost)
      throws IOException {
    DataNodeStatus node = someNode(random);
    if (node == null || (fromNodesHost && nodesHost == null)) {
      return;
    }
    byte[] lie =
        BlockReport.newBuilder()
            .setNodeId(node.getNodeId())
            .setFull(true)
            .setReportId(random.nextLong() & Long.MAX_VALUE)
            .build()
            .toByteArray();
    if (fromNodesHost) {
      post(
          nodesHost,
          "lie from the node's host: empty full block report",
          address,
          "/v1/blockreport",
          lie);
      return;
    }
    String kind = "lie: empty full block report";
    Answer answer = post(kind, address, "/v1/blockreport", lie);
    if (answer.status() == 200 && BlockReportResponse.parseFrom(answer.bytes()).getRegistered()) {
      history.violation(
          "lie-believed", null, kind + " in the name of " + node.getNodeId() + " was believed");
    }
  }

  /**
   * {@code report_bad_replica} for a real replica: counts as a reader's report (a copy, no loss).
   */
  private void lieBadReplica(String address, Random random) throws IOException {
    List<RealBlock> blocks = realBlocks;
    if (blocks.isEmpty()) {
      return;
    }
    RealBlock block = blocks.get(random.nextInt(blocks.size()));
    MetaRequest report =
        MetaRequest.newBuilder()
            .setClientId("garbage-" + seed)
            .setCallId(random.nextLong() & Long.MAX_VALUE)
            .setReportBadReplica(
                ReportBadReplicaRequest.newBuilder()
                    .setBlockId(block.blockId())
                    .setNodeId(block.nodeId()))
            .build();
    post(
        "lie: report_bad_replica",
        address,
        "/v1/meta",
        MetaRequestList.newBuilder().addRequests(report).build().toByteArray());
  }

  private DataNodeStatus someNode(Random random) {
    List<DataNodeStatus> nodes = realNodes;
    return nodes.isEmpty() ? null : nodes.get(random.nextInt(nodes.size()));
  }

  private long someBlockId(Random random) {
    List<RealBlock> blocks = realBlocks;
    return blocks.isEmpty()
        ? random.nextLong() & Long.MAX_VALUE
        : blocks.get(random.nextInt(blocks.size())).blockId();
  }

  // ---------------------------------------------------------------- bodies

  private static byte[] metaRequests() {
    return MetaRequestList.newBuilder()
        .addRequests(
            MetaRequest.newBuilder()
                .setClientId("garbage")
                .setCallId(1)
                .setStat(StatRequest.newBuilder().setPath("/chaos/c0")))
        .build()
        .toByteArray();
  }

  private static byte[] heartbeat() {
    return Heartbeat.newBuilder()
        .setNodeId("garbage-node")
        .setHttpAddress("127.0.0.2:1")
        .setCapacityBytes(1)
        .build()
        .toByteArray();
  }

  private static byte[] report() {
    return BlockReport.newBuilder()
        .setNodeId("garbage-node")
        .addRemoved(Long.MIN_VALUE)
        .addRemoved(7)
        .build()
        .toByteArray();
  }

  /** The message cut short by at least one byte. */
  private static byte[] truncated(byte[] message, Random random) {
    return Arrays.copyOf(message, random.nextInt(message.length));
  }

  private static byte[] bytes(Random random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  private static long crc32c(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return crc.getValue();
  }

  private synchronized void count(String kind) {
    sent.merge(kind, 1, Integer::sum);
  }

  private synchronized void record(String answer) {
    answers.merge(answer, 1, Integer::sum);
  }

  private void pause(long millis) {
    Nemesis.pause(millis, () -> stopping);
  }
}
