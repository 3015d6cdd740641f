package io.raftfs.badinput;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.auth.AccessKey;
import io.raftfs.auth.BlockTokens;
import io.raftfs.auth.SigningScope;
import io.raftfs.cli.InProcessCli;
import io.raftfs.client.FileSystemClient;
import io.raftfs.client.PutOptions;
import io.raftfs.client.TransferListener;
import io.raftfs.client.meta.MetaClient;
import io.raftfs.proto.BlockKey;
import io.raftfs.proto.FileStatus;
import io.raftfs.proto.LocatedBlock;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaRequestList;
import io.raftfs.proto.MetaResponse;
import io.raftfs.proto.MetaResponseList;
import io.raftfs.testing.Await;
import io.raftfs.testing.cluster.MiniRaftfsCluster;
import io.raftfs.testing.http.RawHttp;
import io.raftfs.testing.http.RawHttp.Answer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: bad input to every endpoint of masters and data nodes and to every verb of the {@code
 * raftfs} command, on one cluster of three masters and three data nodes started once. Each case is
 * a row of {@link BadInputCases}: a request sent as raw bytes (or a command line), and what a
 * correct server or command answers. Every case prints one {@code bad input:} line, then checks
 * that nothing was lost: the files written at the start read back byte-identical, the namespace is
 * as it was, the masters' digests agree at one applied index, the data nodes hold no temp file and
 * their space and block counts are back to what they were. The {@code tls} group speaks to a
 * second, small cluster that runs TLS (one master, two data nodes).
 */
class BadInputSuiteTest {
  static final Duration SETTLE = Duration.ofSeconds(20);
  static final long CAPACITY = 256L << 20;

  @TempDir static Path clusterDir;
  @TempDir static Path local;

  static MiniRaftfsCluster cluster;
  @TempDir static Path securedDir;
  static MiniRaftfsCluster secured;
  static FileSystemClient client;
  static MetaClient meta;
  static final Map<String, byte[]> files = new LinkedHashMap<>();
  static Map<String, String> namespace;
  static List<JsonObject> dataNodeStatus;
  static LocatedBlock bigBlock;

  @BeforeAll
  static void startClusterAndWriteFiles() throws IOException {
    cluster =
        MiniRaftfsCluster.builder()
            // Raw HTTP bytes, each case on a socket of its own: the tls group has a cluster of its
            // own.
            .tls(false)
            .dataNodes(3)
            .dataNodeSettings(node -> node.capacityBytes(CAPACITY))
            // A put refused at its commit leaves orphan replicas (docs/protocol.md): gone soon.
            .masterSetting("raftfs.master.orphan.grace.ms", "1000")
            // Files of several blocks from a few hundred KiB.
            .masterSetting("raftfs.master.block-size.min", "64k")
            .build()
            .start(clusterDir);
    client = cluster.newClient();
    meta = cluster.newMetaClient();
    secured =
        MiniRaftfsCluster.builder().masters(1).dataNodes(2).tls(true).build().start(securedDir);
    Random random = new Random(18);
    files.put("/keep/small.txt", "small file, kept\n".repeat(60).getBytes(StandardCharsets.UTF_8));
    files.put("/keep/big.bin", randomBytes(random, 300_000));
    files.put("/keep/empty", new byte[0]);
    files.put("/keep/dir/two-replicas.bin", randomBytes(random, 70_000));
    client.mkdir("/keep/dir", true);
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      int replication = file.getKey().contains("two-replicas") ? 2 : 3;
      client.put(
          new ByteArrayInputStream(file.getValue()),
          file.getKey(),
          new PutOptions(replication, 128 << 10, false),
          TransferListener.NONE);
    }
    bigBlock = client.locate("/keep/big.bin").getBlocks(0);
    Files.writeString(local.resolve("local.txt"), "a local file\n");
    namespace = namespace();
    dataNodeStatus = Await.until(SETTLE, "block counts settle", () -> dataNodeStatus(), s -> true);
  }

  @AfterAll
  static void stopCluster() {
    if (meta != null) {
      meta.close();
    }
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (secured != null) {
      secured.close();
    }
  }

  @TestFactory
  Stream<DynamicTest> badInput() {
    BadInputCases cases = new BadInputCases(new Target());
    return cases.all().stream()
        .map(c -> DynamicTest.dynamicTest("[" + c.group() + "] " + c.name(), () -> run(c)));
  }

  private static void run(BadInputCases.Case c) throws Exception {
    BadInputCases.Outcome outcome = c.probe().send();
    System.out.println(
        "bad input: ["
            + c.group()
            + "] "
            + c.name()
            + " | "
            + outcome.request()
            + " -> "
            + outcome.answer());
    c.expect().check(outcome);
    try {
      assertNothingLost();
    } catch (AssertionError e) {
      // Judge the next cases from the state this one left, so one leak fails one case.
      namespace = namespace();
      dataNodeStatus = dataNodeStatus();
      throw e;
    }
  }

  /** The invariants every case must leave intact. */
  static void assertNothingLost() throws IOException {
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      ByteArrayOutputStream copy = new ByteArrayOutputStream();
      client.get(file.getKey(), copy, TransferListener.NONE);
      assertArrayEquals(file.getValue(), copy.toByteArray(), file.getKey() + " changed");
    }
    assertEquals(namespace, namespace(), "the namespace changed");
    Await.until(
        SETTLE,
        "equal digests at one applied index",
        BadInputSuiteTest::digests,
        d -> d.stream().distinct().count() == 1);
    Await.until(
        SETTLE, "no temp files on the data nodes", BadInputSuiteTest::tempFiles, List::isEmpty);
    Await.until(
        SETTLE,
        "data nodes' space and blocks as before",
        BadInputSuiteTest::dataNodeStatus,
        dataNodeStatus::equals);
    try (Stream<Path> left = Files.list(local)) {
      assertEquals(
          List.of("local.txt"),
          left.map(p -> p.getFileName().toString()).sorted().toList(),
          "files left in the client's local directory");
    }
  }

  /** Every entry under / with its type and length. */
  static Map<String, String> namespace() {
    Map<String, String> entries = new TreeMap<>();
    List<String> pending = new ArrayList<>(List.of("/"));
    while (!pending.isEmpty()) {
      for (FileStatus status : meta.list(pending.remove(pending.size() - 1))) {
        entries.put(
            status.getPath(),
            status.getDirectory() ? "dir" : status.getLength() + "x" + status.getReplication());
        if (status.getDirectory()) {
          pending.add(status.getPath());
        }
      }
    }
    return entries;
  }

  /** Each master's digest as "index sha256". */
  static List<String> digests() {
    List<String> digests = new ArrayList<>();
    for (String master : cluster.masterAddresses()) {
      JsonObject digest = new JsonObject(get(master, "/v1/digest"));
      digests.add(digest.getLong("appliedIndex") + " " + digest.getString("sha256"));
    }
    return digests;
  }

  /** Each data node's space and block count as it reports them, without time-varying parts. */
  static List<JsonObject> dataNodeStatus() {
    List<JsonObject> status = new ArrayList<>();
    for (String node : cluster.dataNodes().addresses()) {
      JsonObject json = new JsonObject(get(node, "/status"));
      json.remove("scrubber");
      status.add(json);
    }
    return status;
  }

  static List<Path> tempFiles() {
    List<Path> left = new ArrayList<>();
    for (int i = 0; i < cluster.dataNodes().size(); i++) {
      Path tmp = cluster.dataNodes().dir(i).resolve("tmp");
      if (Files.isDirectory(tmp)) {
        try (Stream<Path> files = Files.list(tmp)) {
          files.forEach(left::add);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return left;
  }

  /** A plain GET's body; fails on anything but 200. */
  static String get(String address, String path) {
    try {
      List<Answer> answers =
          RawHttp.exchange(
              address,
              RawHttp.request(
                  "GET " + path + " HTTP/1.1\r\nHost: " + address + "\r\nConnection: close",
                  new byte[0]),
              1,
              false);
      Answer answer = answers.get(0);
      assertEquals(200, answer.status(), "GET " + path + " on " + address + ": " + answer);
      return answer.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] randomBytes(Random random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  /** What the cases aim at, read from the running cluster. */
  static final class Target implements BadInputCases.Cluster {
    @Override
    public MiniRaftfsCluster secured() {
      return secured;
    }

    @Override
    public String leader() {
      return cluster.masters().master(cluster.masters().awaitLeader()).httpAddress();
    }

    @Override
    public String follower() {
      int leader = cluster.masters().awaitLeader();
      return cluster.masterAddresses().get((leader + 1) % cluster.masterAddresses().size());
    }

    @Override
    public String dataNode() {
      return cluster.dataNodes().addresses().get(0);
    }

    @Override
    public LocatedBlock storedBlock() {
      return bigBlock;
    }

    @Override
    public MetaResponse call(MetaRequest.Builder request) throws IOException {
      MetaResponseList list = callList(MetaRequestList.newBuilder().addRequests(request).build());
      assertEquals(1, list.getResponsesCount(), list::toString);
      return list.getResponses(0);
    }

    @Override
    public BlockKey blockKey() {
      int keyId = BlockTokens.fields(BlockTokens.decode(bigBlock.getToken())).getKeyId();
      return cluster
          .masters()
          .master(cluster.masters().awaitLeader())
          .store()
          .blockKeys()
          .getKeysList()
          .stream()
          .filter(key -> key.getKeyId() == keyId)
          .findFirst()
          .orElseThrow();
    }

    @Override
    public AccessKey rootKey() {
      return cluster.masters().rootKey();
    }

    @Override
    public MetaResponseList callList(MetaRequestList requests) throws IOException {
      String leader = leader();
      byte[] body = requests.toByteArray();
      String head =
          BadInputCases.signedHead(
              leader, rootKey(), Instant.now(), SigningScope.RAFTFS, body, body.length);
      List<Answer> answers =
          RawHttp.exchange(
              leader,
              RawHttp.request(head + "\r\nHost: " + leader + "\r\nConnection: close", body),
              1,
              false);
      assertEquals(200, answers.get(0).status(), answers::toString);
      return MetaResponseList.parseFrom(answers.get(0).bytes());
    }

    @Override
    public InProcessCli.Result raftfs(String... args) {
      return InProcessCli.run(cluster.cliEnvironment(), local, args);
    }

    @Override
    public Path local() {
      return local;
    }

    @Override
    public long activeWrites(String dataNode) {
      for (String line : get(dataNode, "/metrics").split("\n")) {
        if (line.startsWith("raftfs_datanode_active_writes")) {
          return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      throw new AssertionError("no raftfs_datanode_active_writes on " + dataNode);
    }
  }

  static void assertNoStackTrace(String text) {
    assertFalse(text.contains("\tat "), () -> "a stack trace: " + text);
    assertFalse(text.matches("(?s).*\\.java:\\d+\\).*"), () -> "a stack trace: " + text);
  }

  static void assertContains(String fragment, String text) {
    assertTrue(text.contains(fragment), () -> "'" + fragment + "' not in: " + text);
  }
}
