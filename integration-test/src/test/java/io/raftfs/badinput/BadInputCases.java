package io.raftfs.badinput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.raftfs.auth.AccessKey;
import io.raftfs.auth.BlockTokens;
import io.raftfs.auth.RequestSigner;
import io.raftfs.auth.SigningScope;
import io.raftfs.cli.InProcessCli;
import io.raftfs.client.transfer.BlockSink;
import io.raftfs.client.transfer.DataNodeClient;
import io.raftfs.client.transfer.DataNodeException;
import io.raftfs.data.DataNode;
import io.raftfs.proto.AddUserRequest;
import io.raftfs.proto.AllocateBlocksRequest;
import io.raftfs.proto.BlockInfo;
import io.raftfs.proto.BlockKey;
import io.raftfs.proto.BlockReport;
import io.raftfs.proto.BlockToken;
import io.raftfs.proto.CommitFileRequest;
import io.raftfs.proto.ConcatRequest;
import io.raftfs.proto.DataNodeAddress;
import io.raftfs.proto.DecommissionRequest;
import io.raftfs.proto.DeleteRequest;
import io.raftfs.proto.ErrorCode;
import io.raftfs.proto.FsckRequest;
import io.raftfs.proto.GetBlockLocationsRequest;
import io.raftfs.proto.Heartbeat;
import io.raftfs.proto.ListRequest;
import io.raftfs.proto.LocatedBlock;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaRequestList;
import io.raftfs.proto.MetaResponse;
import io.raftfs.proto.MetaResponseList;
import io.raftfs.proto.MkdirRequest;
import io.raftfs.proto.RegisterDataNodeRequest;
import io.raftfs.proto.RemoveUserRequest;
import io.raftfs.proto.RenameRequest;
import io.raftfs.proto.RotateUserKeyRequest;
import io.raftfs.proto.SetOwnerRequest;
import io.raftfs.proto.SetPermissionRequest;
import io.raftfs.proto.StatRequest;
import io.raftfs.protocol.DataNodeProtocol;
import io.raftfs.testing.Await;
import io.raftfs.testing.cluster.ClusterCertificates;
import io.raftfs.testing.cluster.MiniRaftfsCluster;
import io.raftfs.testing.http.RawHttp;
import io.raftfs.testing.http.RawHttp.Answer;
import io.raftfs.tls.RevocationList;
import io.raftfs.tls.TlsFiles;
import io.raftfs.tls.TlsIdentity;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * The table of bad inputs: one {@link Case} per row, in groups by what receives it. A case sends
 * its request as raw bytes (malformed HTTP needs a socket of its own), as a protobuf call, or as a
 * {@code raftfs} command line, and describes the answer a correct receiver gives: a status range or
 * a closed connection, with a fragment of its message.
 */
final class BadInputCases {
  /** What the cases need from the cluster under test. */
  interface Cluster {
    String leader();

    /** The superuser's key, which signs the metadata calls the cases make on purpose. */
    AccessKey rootKey();

    String follower();

    String dataNode();

    /** A block of a file kept for the whole run, with its replicas and a READ token. */
    LocatedBlock storedBlock();

    /**
     * A block key the data nodes know, read from the leader's state: the cases sign tokens for
     * blocks no master would give them one for, as an insider holding the key could.
     */
    BlockKey blockKey();

    MetaResponse call(MetaRequest.Builder request) throws IOException;

    MetaResponseList callList(MetaRequestList requests) throws IOException;

    InProcessCli.Result raftfs(String... args);

    Path local();

    long activeWrites(String dataNode);

    /** A second, small cluster that speaks TLS: one master, two data nodes. */
    MiniRaftfsCluster secured();
  }

  /** One row: a name, how to send it, what a correct answer looks like. */
  record Case(String group, String name, Probe probe, Expect expect) {}

  @FunctionalInterface
  interface Probe {
    Outcome send() throws Exception;
  }

  /**
   * What came back. {@code status}: the HTTP status of the (last) answer, {@link Answer#CLOSED},
   * {@link Answer#HUNG}, or for the CLI its exit status; {@code message}: the error text or stderr.
   */
  record Outcome(String request, String answer, int status, String message) {}

  /** A correct answer: a status accepted by {@code status} and a message containing a fragment. */
  record Expect(String description, IntPredicate status, List<String> fragments, boolean cli) {
    void check(Outcome outcome) {
      assertTrue(
          outcome.status() != Answer.HUNG && status.test(outcome.status()),
          () -> "expected " + description + ", got " + outcome.answer());
      if (outcome.status() >= 0) {
        fragments.forEach(
            fragment -> BadInputSuiteTest.assertContains(fragment, outcome.message()));
      }
      BadInputSuiteTest.assertNoStackTrace(outcome.message());
      if (cli) {
        assertTrue(
            outcome.message().startsWith("raftfs: "),
            () -> "stderr must start with 'raftfs: ': " + outcome.message());
        assertTrue(
            outcome.message().lines().count() <= 2,
            () -> "more than one error line (and a --help hint): " + outcome.message());
        assertTrue(
            outcome.message().chars().noneMatch(c -> c != '\n' && (c < 0x20 || c == 0x7f)),
            () -> "a control character on stderr: " + show(outcome.message()));
      }
    }
  }

  static Expect status(int code, String fragment) {
    return new Expect("HTTP " + code, s -> s == code, List.of(fragment), false);
  }

  /** A 4xx in the range, or a closed connection. */
  static Expect refusedOrClosed(int low, int high) {
    return new Expect(
        "HTTP " + low + ".." + high + " or a close",
        s -> s == Answer.CLOSED || (s >= low && s <= high),
        List.of(""),
        false);
  }

  /**
   * Netty's own refusal, answered with a one-line message (the server's invalid-request handler).
   */
  static Expect malformed(int code) {
    return status(code, "malformed request: ");
  }

  // An unknown HTTP version (HTTP/9.9, the HTTP/2 preface) is answered 501 with no body by Vert.x
  // itself (Http1xServerRequestHandler, 5.0.7), before any handler of the server: no hook for a
  // message, so those cases accept it bare.

  static Expect closed() {
    return new Expect("a closed connection", s -> s == Answer.CLOSED, List.of(""), false);
  }

  static Expect metaError(ErrorCode code, String fragment) {
    return new Expect("200 with " + code, s -> s == 200, List.of(code + ": ", fragment), false);
  }

  static Expect exit(int code, String fragment) {
    return new Expect("exit " + code, s -> s == code, List.of(fragment), true);
  }

  static Expect exitIn(String fragment, int... codes) {
    return new Expect(
        "exit " + Arrays.toString(codes),
        s -> Arrays.stream(codes).anyMatch(c -> c == s),
        List.of(fragment),
        true);
  }

  private final Cluster cluster;
  private final List<Case> cases = new ArrayList<>();
  private final AtomicLong callIds = new AtomicLong(System.nanoTime());
  private String group;
  private static final Pattern BLOCK_REQUEST =
      Pattern.compile("(PUT|GET|HEAD|DELETE) /blocks/(\\d+) ");
  private static final Pattern PIPELINE_HEADER = Pattern.compile("X-Raftfs-Pipeline: ([^\\r]*)");

  BadInputCases(Cluster cluster) {
    this.cluster = cluster;
  }

  List<Case> all() {
    masterHttp();
    authentication();
    metaCalls();
    users();
    permissions();
    dataNodeHttp();
    blockTokens();
    ranges();
    cli();
    fakeServers();
    tls();
    return cases;
  }

  private void add(String name, Probe probe, Expect expect) {
    cases.add(new Case(group, name, probe, expect));
  }

  // ---------------------------------------------------------------- signatures

  private void authentication() {
    group = "auth";
    MetaRequestList mkdir =
        MetaRequestList.newBuilder()
            .addRequests(mkdir("/unsigned", false).setClientId("bad-input").setCallId(1))
            .build();
    AccessKey root = cluster.rootKey();
    Instant now = Instant.now();
    add(
        "mkdir without a signature",
        () -> post(cluster.leader(), "/v1/meta", PROTOBUF, mkdir.toByteArray()),
        status(401, "the request is not signed"));
    add(
        "mkdir signed by an unknown key",
        () -> signedMeta(AccessKey.generate(), now, SigningScope.RAFTFS, mkdir, null),
        status(401, "unknown access key"));
    add(
        "mkdir signed with a wrong secret",
        () ->
            signedMeta(
                new AccessKey(root.id(), AccessKey.generate().secret()),
                now,
                SigningScope.RAFTFS,
                mkdir,
                null),
        status(401, "the signature does not match"));
    add(
        "mkdir signed 10 minutes ago (a replay)",
        () -> signedMeta(root, now.minusSeconds(600), SigningScope.RAFTFS, mkdir, null),
        status(401, "from this server's clock"));
    add(
        "mkdir signed 10 minutes ahead",
        () -> signedMeta(root, now.plusSeconds(600), SigningScope.RAFTFS, mkdir, null),
        status(401, "from this server's clock"));
    add(
        "a signed stat whose body was swapped for a mkdir",
        () -> signedMeta(root, now, SigningScope.RAFTFS, statList("/keep"), mkdir.toByteArray()),
        status(401, "the body does not match its signed SHA-256"));
    add(
        "mkdir signed for S3 instead of raftfs",
        () -> signedMeta(root, now, new SigningScope("us-east-1", "s3"), mkdir, null),
        status(401, "not signed for region raftfs"));
    add(
        "mkdir with a Basic Authorization header",
        () ->
            request(
                cluster.leader(),
                "POST /v1/meta HTTP/1.1\r\nContent-Type: "
                    + PROTOBUF
                    + "\r\nAuthorization: Basic cm9vdDpyb290\r\nContent-Length: "
                    + mkdir.getSerializedSize(),
                mkdir.toByteArray()),
        status(401, "is not AWS4-HMAC-SHA256"));
  }

  /**
   * POSTs {@code requests} to the leader signed by {@code key} at {@code at} for {@code scope},
   * with {@code swapped} sent as the body instead when not null.
   */
  private Outcome signedMeta(
      AccessKey key, Instant at, SigningScope scope, MetaRequestList requests, byte[] swapped)
      throws IOException {
    String leader = cluster.leader();
    byte[] body = swapped == null ? requests.toByteArray() : swapped;
    return request(
        leader, signedHead(leader, key, at, scope, requests.toByteArray(), body.length), body);
  }

  /** {@code body} POSTed to {@code /v1/meta} at {@code address}, signed by the superuser. */
  private Outcome signedPost(String address, byte[] body) throws IOException {
    return request(
        address,
        signedHead(
            address, cluster.rootKey(), Instant.now(), SigningScope.RAFTFS, body, body.length),
        body);
  }

  /** The head of a {@code POST /v1/meta} signed as {@code raftfs} signs, without Host. */
  static String signedHead(
      String address,
      AccessKey key,
      Instant at,
      SigningScope scope,
      byte[] signedBody,
      int length) {
    Map<String, String> content = Map.of("Content-Type", PROTOBUF);
    StringBuilder head = new StringBuilder("POST /v1/meta HTTP/1.1");
    new RequestSigner(key, scope, Clock.fixed(at, ZoneOffset.UTC))
        .sign("POST", "/v1/meta", "", address, content, signedBody)
        .forEach((name, value) -> head.append("\r\n").append(name).append(": ").append(value));
    return head.append("\r\nContent-Type: ")
        .append(PROTOBUF)
        .append("\r\nContent-Length: ")
        .append(length)
        .toString();
  }

  // ---------------------------------------------------------------- users

  private void users() {
    group = "users";
    meta(
        "add_user with a space in the name",
        addUser("bad name"),
        ErrorCode.INVALID_ARGUMENT,
        "name: 'bad name' is not a user or group name");
    meta(
        "add_user of a 65-character name",
        addUser("u".repeat(65)),
        ErrorCode.INVALID_ARGUMENT,
        "is not a user or group name (1..64");
    meta(
        "add_user with an escape sequence",
        addUser("x\u001b[2J"),
        ErrorCode.INVALID_ARGUMENT,
        "'x?[2J' is not a user or group name");
    MetaRequest.Builder manyGroups = addUser("groupy");
    for (int i = 0; i < 17; i++) {
      manyGroups.getAddUserBuilder().addGroups("g" + i);
    }
    meta("add_user with 17 groups", manyGroups, ErrorCode.INVALID_ARGUMENT, "more than 16");
    meta("add_user named root", addUser("root"), ErrorCode.ALREADY_EXISTS, "root: reserved");
    meta(
        "add_user named like the superuser group",
        addUser("supergroup"),
        ErrorCode.ALREADY_EXISTS,
        "supergroup: reserved");
    meta(
        "remove_user of root",
        MetaRequest.newBuilder().setRemoveUser(RemoveUserRequest.newBuilder().setName("root")),
        ErrorCode.INVALID_ARGUMENT,
        "root: the bootstrap superuser");
    meta(
        "remove_user of nobody",
        MetaRequest.newBuilder().setRemoveUser(RemoveUserRequest.newBuilder().setName("nobody")),
        ErrorCode.NOT_FOUND,
        "nobody: no such user");
    meta(
        "rotate_user_key of nobody",
        MetaRequest.newBuilder()
            .setRotateUserKey(RotateUserKeyRequest.newBuilder().setName("nobody")),
        ErrorCode.NOT_FOUND,
        "nobody: no such user");
    add(
        "add_user by a user outside the superuser group",
        () -> {
          AccessKey plain = plainUser("plain-bad-input");
          return callAs(plain, "add_user signed by plain-bad-input", addUser("mallory"));
        },
        metaError(ErrorCode.PERMISSION_DENIED, "add_user: Permission denied"));
    cli(
        "admin user add with a bad name",
        exit(8, "is not a user or group name"),
        "admin",
        "user",
        "add",
        "Bad");
    cli(
        "admin user remove of nobody",
        exit(3, "nobody: no such user"),
        "admin",
        "user",
        "remove",
        "nobody");
  }

  /** A new user in no group but its own, made by the superuser: its key. */
  private AccessKey plainUser(String name) throws IOException {
    MetaResponse made =
        cluster.call(addUser(name).setClientId("bad-input").setCallId(callIds.incrementAndGet()));
    assertEquals(ErrorCode.OK, made.getError(), made::getMessage);
    return new AccessKey(made.getUser().getAccessKeyId(), made.getUser().getSecretKey());
  }

  /** Sends {@code request} to the leader signed with {@code key}, a user's, not the superuser's. */
  private Outcome callAs(AccessKey key, String name, MetaRequest.Builder request)
      throws IOException {
    MetaRequestList calls =
        MetaRequestList.newBuilder()
            .addRequests(request.setClientId("bad-input").setCallId(callIds.incrementAndGet()))
            .build();
    String leader = cluster.leader();
    byte[] body = calls.toByteArray();
    String head =
        signedHead(leader, key, Instant.now(), SigningScope.RAFTFS, body, body.length)
            + "\r\nHost: "
            + leader
            + "\r\nConnection: close";
    Answer answer = RawHttp.exchange(leader, RawHttp.request(head, body), 1, false).get(0);
    return answer.status() != 200
        ? new Outcome(name, answer.toString(), answer.status(), answer.message())
        : metaOutcome(name, MetaResponseList.parseFrom(answer.bytes()).getResponses(0));
  }

  // ---------------------------------------------------------------- permissions

  private void permissions() {
    group = "permissions";
    meta(
        "set_permission with setuid",
        setPermission("/", 04755),
        ErrorCode.INVALID_ARGUMENT,
        "/: mode must be 0..1777 (octal)");
    meta(
        "mkdir with a mode above 1777",
        MetaRequest.newBuilder()
            .setMkdir(MkdirRequest.newBuilder().setPath("/mode-too-big").setMode(010000)),
        ErrorCode.INVALID_ARGUMENT,
        "mode must be 0..1777");
    meta(
        "set_permission of a missing path",
        setPermission("/no-such-entry", 0755),
        ErrorCode.NOT_FOUND,
        "/no-such-entry: No such file or directory");
    meta(
        "set_owner with neither owner nor group",
        setOwner("/", "", ""),
        ErrorCode.INVALID_ARGUMENT,
        "/: neither an owner nor a group to set");
    meta(
        "set_owner to a name with an escape sequence",
        setOwner("/", "x\u001b[2J", ""),
        ErrorCode.INVALID_ARGUMENT,
        "'x?[2J' is not a user or group name");
    add(
        "a plain user's chmod, chown and mkdir of the root",
        () -> {
          AccessKey plain = plainUser("perm-bad-input");
          for (MetaRequest.Builder write :
              List.of(setOwner("/", "perm-bad-input", ""), mkdir("/mine", false))) {
            Outcome refused = callAs(plain, write.getOpCase().name(), write);
            if (!refused.message().startsWith("PERMISSION_DENIED: ")) {
              return refused;
            }
          }
          return callAs(plain, "set_permission of / by perm-bad-input", setPermission("/", 0777));
        },
        metaError(ErrorCode.PERMISSION_DENIED, "/: Permission denied"));
    cli("chmod with a bad mode", exit(2, "u+q: not a mode"), "chmod", "u+q", "/");
    cli(
        "chmod with setuid",
        exit(2, "setuid and setgid bits are not supported"),
        "chmod",
        "4755",
        "/");
    cli(
        "chown with neither owner nor group",
        exit(2, "neither an owner nor a group"),
        "chown",
        ":",
        "/");
  }

  private static MetaRequest.Builder setPermission(String path, int mode) {
    return MetaRequest.newBuilder()
        .setSetPermission(SetPermissionRequest.newBuilder().setPath(path).setPermission(mode));
  }

  private static MetaRequest.Builder setOwner(String path, String owner, String group) {
    return MetaRequest.newBuilder()
        .setSetOwner(SetOwnerRequest.newBuilder().setPath(path).setOwner(owner).setGroup(group));
  }

  private static MetaRequest.Builder addUser(String name) {
    return MetaRequest.newBuilder().setAddUser(AddUserRequest.newBuilder().setName(name));
  }

  // ---------------------------------------------------------------- TLS and node certificates

  /**
   * Against the TLS cluster: plaintext is refused, and so is a data node's report for another node,
   * whatever certificate of the cluster's CA it comes with, or with another CA's; another CA's
   * certificate and a revoked one fail the handshake with masters and data nodes alike.
   */
  private void tls() {
    group = "tls";
    MiniRaftfsCluster secured = cluster.secured();
    String master = secured.masterAddresses().get(0);
    DataNode a = secured.dataNodes().node(0);
    DataNode b = secured.dataNodes().node(1);
    ClusterCertificates certificates = secured.certificates();
    String notB = "not data node " + b.nodeId();
    byte[] heartbeatOfB =
        Heartbeat.newBuilder()
            .setNodeId(b.nodeId())
            .setHttpAddress(b.httpAddress())
            .build()
            .toByteArray();
    byte[] emptyReportOfB =
        BlockReport.newBuilder().setNodeId(b.nodeId()).setFull(true).build().toByteArray();
    byte[] registrationOfBAtA =
        MetaRequestList.newBuilder()
            .addRequests(
                MetaRequest.newBuilder()
                    .setClientId("bad-input")
                    .setCallId(callIds.incrementAndGet())
                    .setRegisterDataNode(
                        RegisterDataNodeRequest.newBuilder()
                            .setNodeId(b.nodeId())
                            .setHttpAddress(a.httpAddress())
                            .setCapacityBytes(1L << 30)))
            .build()
            .toByteArray();
    add(
        "plaintext HTTP to a TLS master",
        () -> request(master, "GET /health HTTP/1.1", new byte[0]),
        closed());
    add(
        "plaintext HTTP to a TLS data node",
        () -> request(a.httpAddress(), "GET /status HTTP/1.1", new byte[0]),
        closed());
    add(
        "B's heartbeat with A's certificate",
        () ->
            tlsPost(
                context(certificates.dataNode(a.nodeId())), master, "/v1/heartbeat", heartbeatOfB),
        status(403, "the certificate names datanode " + a.nodeId() + ", " + notB));
    add(
        "B's empty full block report with A's certificate",
        () ->
            tlsPost(
                context(certificates.dataNode(a.nodeId())),
                master,
                "/v1/blockreport",
                emptyReportOfB),
        status(403, notB));
    add(
        "B's registration at A's address with A's certificate",
        () ->
            tlsPost(
                context(certificates.dataNode(a.nodeId())), master, "/v1/meta", registrationOfBAtA),
        status(403, notB));
    add(
        "B's registration without a certificate",
        () ->
            tlsPost(
                TlsIdentity.trusting(certificates.caFile()).sslContext(),
                master,
                "/v1/meta",
                registrationOfBAtA),
        status(403, "none was presented"));
    add(
        "B's heartbeat with a master's certificate",
        () -> tlsPost(context(certificates.master("m1")), master, "/v1/heartbeat", heartbeatOfB),
        status(403, "the certificate names master m1"));
    add(
        "B's heartbeat with another CA's certificate for B",
        () -> tlsPost(strangerFor(b.nodeId(), certificates), master, "/v1/heartbeat", heartbeatOfB),
        closed());
    add(
        "A's chain PUT to B with another CA's certificate for A",
        () -> tlsPut(strangerFor(a.nodeId(), certificates), b.httpAddress()),
        closed());
    // A node whose certificate the CA revoked (loaded before, as a running node holds it).
    TlsFiles revokedFiles = certificates.dataNode("revoked-node");
    SSLContext revoked;
    try {
      revoked = context(revokedFiles);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    certificates.revoke(revokedFiles);
    byte[] heartbeatOfRevoked =
        Heartbeat.newBuilder()
            .setNodeId("revoked-node")
            .setHttpAddress("127.0.0.1:1")
            .build()
            .toByteArray();
    add(
        "a heartbeat with a revoked certificate",
        () -> untilRefused(() -> tlsPost(revoked, master, "/v1/heartbeat", heartbeatOfRevoked)),
        closed());
    add(
        "a chain PUT to A with a revoked certificate",
        () -> untilRefused(() -> tlsPut(revoked, a.httpAddress())),
        closed());
  }

  /**
   * {@code probe}'s outcome once the connection is refused, trying again while it is not, for at
   * most ten re-read periods of the revocation list (the processes re-read it within one).
   */
  private static Outcome untilRefused(Probe probe) throws Exception {
    long deadline = System.nanoTime() + RevocationList.RECHECK.multipliedBy(10).toNanos();
    while (true) {
      Outcome outcome = probe.send();
      if (outcome.status() == Answer.CLOSED || System.nanoTime() - deadline > 0) {
        return outcome;
      }
      Thread.sleep(50);
    }
  }

  /** A PUT of block 920001 (no token: refused anyway once connected) over TLS with {@code tls}. */
  private static Outcome tlsPut(SSLContext tls, String dataNode) throws IOException {
    byte[] body = "a block".getBytes(StandardCharsets.US_ASCII);
    String head =
        "PUT /blocks/920001 HTTP/1.1\r\nHost: "
            + dataNode
            + "\r\nConnection: close\r\n"
            + DataNodeProtocol.CRC32C
            + ": "
            + Integer.toUnsignedString(crc32c(body))
            + "\r\nContent-Length: "
            + body.length;
    List<Answer> got = RawHttp.exchange(tls, dataNode, RawHttp.request(head, body), 1);
    Answer last = got.get(got.size() - 1);
    return new Outcome(
        "TLS PUT /blocks/920001 to " + dataNode,
        last.toString(),
        last.status(),
        last.isClosed() ? "" : last.message());
  }

  private static SSLContext context(TlsFiles files) throws IOException {
    return files.load().sslContext();
  }

  /** A certificate naming data node {@code nodeId} from a CA of its own, trusting the cluster's. */
  private static SSLContext strangerFor(String nodeId, ClusterCertificates cluster)
      throws Exception {
    TlsIdentity stranger =
        ClusterCertificates.in(Files.createTempDirectory("stranger-ca")).dataNode(nodeId).load();
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(
        new KeyManager[] {stranger.keyManager().orElseThrow()},
        new TrustManager[] {TlsIdentity.trusting(cluster.caFile()).trustManager()},
        null);
    return context;
  }

  /** One protobuf POST over TLS with {@code tls}, one answer. */
  private static Outcome tlsPost(SSLContext tls, String address, String path, byte[] body)
      throws IOException {
    String head =
        "POST "
            + path
            + " HTTP/1.1\r\nHost: "
            + address
            + "\r\nConnection: close\r\nContent-Type: "
            + PROTOBUF
            + "\r\nContent-Length: "
            + body.length;
    List<Answer> got = RawHttp.exchange(tls, address, RawHttp.request(head, body), 1);
    Answer last = got.get(got.size() - 1);
    return new Outcome(
        "TLS POST " + path + " + " + body.length + " body bytes to " + address,
        last.toString(),
        last.status(),
        last.isClosed() ? "" : last.message());
  }

  // ---------------------------------------------------------------- masters over HTTP

  private void masterHttp() {
    group = "master-http";
    byte[] stat = statList("/keep").toByteArray();
    add(
        "POST /v1/meta as text/plain",
        () -> post(cluster.leader(), "/v1/meta", "text/plain", stat),
        status(415, "Content-Type must be application/x-protobuf"));
    add(
        "POST /v1/meta without Content-Type",
        () -> post(cluster.leader(), "/v1/meta", null, stat),
        status(415, "Content-Type must be"));
    add(
        "POST /v1/heartbeat as application/json",
        () -> post(cluster.leader(), "/v1/heartbeat", "application/json", new byte[] {'{', '}'}),
        status(415, "Content-Type must be"));
    add(
        "POST /v1/blockreport as multipart/form-data",
        () -> post(cluster.follower(), "/v1/blockreport", "multipart/form-data", stat),
        status(415, "Content-Type must be"));
    add(
        "POST /v1/meta with random bytes",
        () -> post(cluster.leader(), "/v1/meta", PROTOBUF, random(1, 512)),
        status(400, "body is not a MetaRequestList"));
    add(
        "POST /v1/meta with a truncated MetaRequestList",
        () -> post(cluster.leader(), "/v1/meta", PROTOBUF, truncated(stat)),
        status(400, "body is not a MetaRequestList"));
    add(
        "POST /v1/meta with a field of the wrong wire type",
        // field 1 (requests, length-delimited) sent as a fixed64
        () -> signedPost(cluster.leader(), new byte[] {0x09, 1, 2, 3, 4, 5, 6, 7, 8}),
        new Expect("200: an unknown field, no calls", st -> st == 200, List.of(""), false));
    add(
        "POST /v1/meta with a length prefix of 2^31",
        () ->
            post(
                cluster.leader(),
                "/v1/meta",
                PROTOBUF,
                new byte[] {0x0a, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08, 1}),
        status(400, "body is not a MetaRequestList"));
    add(
        "POST /v1/meta to a follower with random bytes",
        () -> post(cluster.follower(), "/v1/meta", PROTOBUF, random(2, 64)),
        status(400, "body is not a MetaRequestList"));
    byte[] heartbeat =
        Heartbeat.newBuilder()
            .setNodeId("dn-bad-input")
            .setHttpAddress("127.0.0.1:1")
            .setCapacityBytes(1)
            .build()
            .toByteArray();
    add(
        "POST /v1/heartbeat with random bytes",
        () -> post(cluster.leader(), "/v1/heartbeat", PROTOBUF, random(3, 300)),
        status(400, "body is not a Heartbeat"));
    add(
        "POST /v1/heartbeat with a truncated Heartbeat",
        () -> post(cluster.follower(), "/v1/heartbeat", PROTOBUF, truncated(heartbeat)),
        status(400, "body is not a Heartbeat"));
    byte[] report =
        BlockReport.newBuilder()
            .setNodeId("dn-bad-input")
            .addRemoved(Long.MIN_VALUE)
            .addRemoved(7)
            .build()
            .toByteArray();
    add(
        "POST /v1/blockreport with random bytes",
        () -> post(cluster.leader(), "/v1/blockreport", PROTOBUF, random(4, 1000)),
        status(400, "body is not a BlockReport"));
    add(
        "POST /v1/blockreport with a truncated BlockReport",
        () -> post(cluster.follower(), "/v1/blockreport", PROTOBUF, truncated(report)),
        status(400, "body is not a BlockReport"));
    add(
        "GET /v1/meta",
        () -> request(cluster.leader(), "GET /v1/meta HTTP/1.1", new byte[0]),
        refusedOrClosed(404, 405));
    add(
        "DELETE /v1/digest",
        () -> request(cluster.leader(), "DELETE /v1/digest HTTP/1.1", new byte[0]),
        refusedOrClosed(404, 405));
    add(
        "GET /no/such/route",
        () -> request(cluster.follower(), "GET /no/such/route HTTP/1.1", new byte[0]),
        status(404, "no such route"));
    add(
        "GET /../../../../etc/passwd from the page's files",
        () -> request(cluster.leader(), "GET /../../../../etc/passwd HTTP/1.1", new byte[0]),
        new Expect("4xx, no file", s -> s >= 400 && s < 500, List.of(""), false));
    add(
        "GET /v1/self with a NUL in the path",
        () -> request(cluster.leader(), "GET /v1/self%00 HTTP/1.1", new byte[0]),
        refusedOrClosed(400, 404));
    add(
        "POST /v1/meta with a 17 MiB body",
        () -> post(cluster.leader(), "/v1/meta", PROTOBUF, new byte[17 << 20]),
        refusedOrClosed(413, 413));
    add(
        "POST /v1/meta with Content-Length 2^64",
        () ->
            request(
                cluster.leader(),
                "POST /v1/meta HTTP/1.1\r\nContent-Type: "
                    + PROTOBUF
                    + "\r\nContent-Length: 18446744073709551616",
                stat),
        malformed(400));
    add(
        "POST /v1/meta with Content-Length -1",
        () ->
            request(
                cluster.leader(),
                "POST /v1/meta HTTP/1.1\r\nContent-Type: " + PROTOBUF + "\r\nContent-Length: -1",
                stat),
        malformed(400));
    add(
        "POST /v1/meta chunked and with Content-Length",
        () ->
            request(
                cluster.leader(),
                signedHead(
                        cluster.leader(),
                        cluster.rootKey(),
                        Instant.now(),
                        SigningScope.RAFTFS,
                        stat,
                        3)
                    + "\r\nTransfer-Encoding: chunked",
                chunked(stat)),
        // RFC 9112 6.1: Transfer-Encoding overrides Content-Length, or the request is refused.
        new Expect(
            "200 by the chunked body, or 400", st -> st == 200 || st == 400, List.of(""), false));
    add(
        "POST /v1/meta with a body shorter than Content-Length, then end of input",
        () ->
            exchange(
                cluster.leader(),
                "POST /v1/meta (Content-Length "
                    + (stat.length + 10)
                    + ", "
                    + stat.length
                    + " sent)",
                RawHttp.request(
                    "POST /v1/meta HTTP/1.1\r\nHost: m\r\nContent-Type: "
                        + PROTOBUF
                        + "\r\nContent-Length: "
                        + (stat.length + 10),
                    stat),
                1,
                true),
        closed());
    add(
        "POST /v1/meta with a body longer than Content-Length",
        () ->
            exchange(
                cluster.leader(),
                "POST /v1/meta (Content-Length " + stat.length + ", 32 bytes of garbage after it)",
                RawHttp.request(
                    "POST /v1/meta HTTP/1.1\r\nHost: m\r\nContent-Type: "
                        + PROTOBUF
                        + "\r\nContent-Length: "
                        + stat.length,
                    concat(stat, random(5, 32))),
                2,
                true),
        refusedOrClosed(400, 400));
    add(
        "GET /health with a 64 KiB header",
        () ->
            request(
                cluster.leader(),
                "GET /health HTTP/1.1\r\nX-Big: " + "x".repeat(64 << 10),
                new byte[0]),
        malformed(431));
    add(
        "GET /health with 2,000 headers",
        () ->
            request(
                cluster.follower(),
                "GET /health HTTP/1.1" + "\r\nX-Many: y".repeat(2000),
                new byte[0]),
        malformed(431));
    add(
        "GET of a 9 KiB request line",
        () -> request(cluster.leader(), "GET /" + "u".repeat(9 << 10) + " HTTP/1.1", new byte[0]),
        malformed(414));
    add(
        "POST /v1/meta with Transfer-Encoding: gzip",
        () ->
            request(
                cluster.leader(),
                "POST /v1/meta HTTP/1.1\r\nContent-Type: "
                    + PROTOBUF
                    + "\r\nTransfer-Encoding: gzip",
                stat),
        // Netty reads a body of unknown coding to the end of input: not a MetaRequestList.
        status(400, "body is not a MetaRequestList"));
    add(
        "a request line with a control character in the method",
        () ->
            exchange(
                cluster.leader(),
                "G\\u0007ET /health HTTP/1.1",
                bytes("G\u0007ET /health HTTP/1.1\r\nHost: m\r\n\r\n"),
                1,
                true),
        malformed(400));
    add(
        "random bytes on the master port",
        () -> exchange(cluster.leader(), "4 KiB of random bytes", random(6, 4096), 1, true),
        malformed(400));
    add(
        "an HTTP/2 preface on the master port (h2c is off)",
        () ->
            exchange(
                cluster.leader(),
                "PRI * HTTP/2.0 preface",
                "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                1,
                true),
        refusedOrClosed(400, 505));
    add(
        "GET /health as HTTP/9.9",
        () ->
            exchange(
                cluster.leader(),
                "GET /health HTTP/9.9",
                bytes("GET /health HTTP/9.9\r\nHost: m\r\n\r\n"),
                1,
                true),
        refusedOrClosed(400, 505));
    add(
        "a request line with control characters",
        () ->
            exchange(
                cluster.follower(),
                "GET /he\\u0001\\u001b[2Jalth HTTP/1.1",
                bytes("GET /he\u0001\u001b[2Jalth HTTP/1.1\r\nHost: m\r\n\r\n"),
                1,
                true),
        refusedOrClosed(400, 404));
    add(
        "a slow sender of /v1/meta does not hold up others",
        () -> slowSender(cluster.leader(), "/v1/meta", PROTOBUF, stat, "/health", null),
        status(200, "ok"));
  }

  // ---------------------------------------------------------------- metadata calls

  private void metaCalls() {
    group = "meta-call";
    String name256 = "n".repeat(256);
    String path4097 = "/" + "p/".repeat(2047) + "pp"; // 4097 bytes
    meta("mkdir of an empty path", mkdir("", true), ErrorCode.INVALID_PATH, "empty");
    meta(
        "mkdir of a relative path",
        mkdir("relative/dir", true),
        ErrorCode.INVALID_PATH,
        "not absolute");
    meta(
        "mkdir through ..", mkdir("/keep/../escape", true), ErrorCode.INVALID_PATH, "'..' segment");
    meta("mkdir of a . segment", mkdir("/keep/./x", true), ErrorCode.INVALID_PATH, "'.' segment");
    meta("mkdir with a NUL", mkdir("/nul\0name", false), ErrorCode.INVALID_PATH, "contains NUL");
    meta(
        "mkdir with an escape sequence",
        mkdir("/keep/\u001b[2Jred", false),
        ErrorCode.INVALID_PATH,
        "/keep/?[2Jred: Invalid path (contains control character 0x1b)");
    meta(
        "mkdir -p with a DEL in a parent",
        mkdir("/del\u007f/child", true),
        ErrorCode.INVALID_PATH,
        "control character 0x7f");
    meta(
        "rename onto a name with a newline",
        rename("/keep/empty", "/keep/two\nlines"),
        ErrorCode.INVALID_PATH,
        "control character 0x0a");
    meta(
        "commit of a name with a tab",
        commit("/keep/tab\there", 3, 1 << 20, false),
        ErrorCode.INVALID_PATH,
        "control character 0x09");
    meta(
        "mkdir of a 256-byte name",
        mkdir("/" + name256, false),
        ErrorCode.INVALID_PATH,
        "longer than 255 bytes");
    meta(
        "mkdir of a 256-byte name in 2-byte characters",
        mkdir("/keep/" + "é".repeat(128), false),
        ErrorCode.INVALID_PATH,
        "longer than 255 bytes");
    meta(
        "mkdir -p of a 4097-byte path",
        mkdir(path4097, true),
        ErrorCode.INVALID_PATH,
        "longer than 4096 bytes");
    meta("list of //", list("//"), ErrorCode.INVALID_PATH, "empty segment");
    meta(
        "stat of a name with control characters",
        stat("/\u0001\u001b[31mred"),
        ErrorCode.NOT_FOUND,
        "");
    meta("stat of a 4097-byte path", stat(path4097), ErrorCode.INVALID_PATH, "longer than 4096");
    meta(
        "get_block_locations of a relative path",
        MetaRequest.newBuilder()
            .setGetBlockLocations(GetBlockLocationsRequest.newBuilder().setPath("keep/big.bin")),
        ErrorCode.INVALID_PATH,
        "not absolute");
    meta(
        "fsck of ..",
        MetaRequest.newBuilder().setFsck(FsckRequest.newBuilder().setPath("/..")),
        ErrorCode.INVALID_PATH,
        "'..'");
    meta(
        "rename of a directory into itself",
        rename("/keep", "/keep/dir/inside"),
        ErrorCode.INVALID_MOVE,
        "");
    meta("rename of the root", rename("/", "/elsewhere"), ErrorCode.INVALID_ARGUMENT, "root");
    meta("rename onto an empty path", rename("/keep/empty", ""), ErrorCode.INVALID_PATH, "empty");
    meta("delete -r of the root", delete("/", true), ErrorCode.INVALID_ARGUMENT, "root");
    meta(
        "delete of a non-empty directory",
        delete("/keep", false),
        ErrorCode.DIRECTORY_NOT_EMPTY,
        "");
    meta(
        "commit over an existing file without overwrite",
        commit("/keep/small.txt", 3, 1 << 20, false),
        ErrorCode.ALREADY_EXISTS,
        "");
    meta(
        "commit below a file",
        commit("/keep/small.txt/child", 3, 1 << 20, false),
        ErrorCode.NOT_A_DIRECTORY,
        "");
    meta(
        "concat of no source",
        concat("/keep/whole"),
        ErrorCode.INVALID_ARGUMENT,
        "1..10000 sources");
    meta("concat of a directory", concat("/keep/whole", "/keep/dir"), ErrorCode.IS_A_DIRECTORY, "");
    meta(
        "concat naming a source twice",
        concat("/keep/whole", "/keep/small.txt", "/keep/small.txt"),
        ErrorCode.INVALID_ARGUMENT,
        "named twice");
    meta(
        "concat into the directory it removes",
        MetaRequest.newBuilder()
            .setConcat(
                ConcatRequest.newBuilder()
                    .setTarget("/keep/whole")
                    .addSources("/keep/small.txt")
                    .setRemoveParent(true)),
        ErrorCode.INVALID_ARGUMENT,
        "the target lies in the directory");
    meta(
        "commit with replication 0",
        commit("/keep/r0", 0, 1 << 20, false),
        ErrorCode.INVALID_ARGUMENT,
        "replication");
    meta(
        "commit with block size 0",
        commit("/keep/bs0", 3, 0, false),
        ErrorCode.INVALID_ARGUMENT,
        "block size");
    meta(
        "commit with block size 2^63",
        commit("/keep/bs63", 3, Long.MIN_VALUE, false),
        ErrorCode.INVALID_ARGUMENT,
        "block size");
    meta(
        "commit of a block id never allocated (2^64-1)",
        commit("/keep/never", 3, 1 << 20, false)
            .setCommitFile(
                CommitFileRequest.newBuilder()
                    .setPath("/keep/never")
                    .setReplication(3)
                    .setBlockSize(1 << 20)
                    .addBlocks(BlockInfo.newBuilder().setBlockId(-1L).setLength(10).setCrc32C(1))),
        ErrorCode.INVALID_ARGUMENT,
        "never allocated");
    meta(
        "allocate of 0 blocks",
        allocate("/keep/a0", 0, 3, 1 << 20),
        ErrorCode.INVALID_ARGUMENT,
        "block count");
    add(
        "allocate of 2^32-1 blocks (the exchange's block cap refuses it whole)",
        () ->
            signedPost(
                cluster.leader(),
                MetaRequestList.newBuilder()
                    .addRequests(allocate("/keep/amax", -1, 3, 1 << 20))
                    .build()
                    .toByteArray()),
        refusedOrClosed(413, 413));
    meta(
        "allocate with replication 0",
        allocate("/keep/r0", 1, 0, 1 << 20),
        ErrorCode.INVALID_ARGUMENT,
        "replication");
    meta(
        "allocate with replication 2^32-1",
        allocate("/keep/rmax", 1, -1, 1 << 20),
        ErrorCode.INVALID_ARGUMENT,
        "replication");
    meta(
        "allocate with block size 0",
        allocate("/keep/bs0", 1, 3, 0),
        ErrorCode.INVALID_ARGUMENT,
        "block size");
    meta(
        "allocate below a missing directory",
        allocate("/no/such/dir/f", 1, 3, 1 << 20),
        ErrorCode.NOT_FOUND,
        "");
    meta(
        "allocate over an existing file",
        allocate("/keep/big.bin", 1, 3, 1 << 20),
        ErrorCode.ALREADY_EXISTS,
        "");
    meta(
        "a request naming no operation",
        MetaRequest.newBuilder(),
        ErrorCode.INVALID_ARGUMENT,
        "names no operation");
    meta(
        "a request with only an unknown field (99)",
        MetaRequest.newBuilder()
            .setUnknownFields(
                UnknownFieldSet.newBuilder()
                    .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(3).build())
                    .build()),
        ErrorCode.INVALID_ARGUMENT,
        "names no operation");
    meta(
        "a client sending the masters' own reserve_block_ids (field 21)",
        MetaRequest.newBuilder()
            .setUnknownFields(
                UnknownFieldSet.newBuilder()
                    .addField(
                        21,
                        UnknownFieldSet.Field.newBuilder()
                            .addLengthDelimited(
                                ByteString.copyFrom(new byte[] {0x08, (byte) 0xe8, 0x07}))
                            .build())
                    .build()),
        ErrorCode.INVALID_ARGUMENT,
        "names no operation");
    meta(
        "decommission of an unknown node",
        MetaRequest.newBuilder()
            .setDecommission(DecommissionRequest.newBuilder().setNodeId("dn-nobody")),
        ErrorCode.NOT_FOUND,
        "dn-nobody");
    add(
        "an empty body (an empty MetaRequestList)",
        () -> post(cluster.leader(), "/v1/meta", PROTOBUF, new byte[0]),
        status(400, "body is not a MetaRequestList"));
    add(
        "a 2,000-level tree within 4096 bytes, renamed past the limit, then deleted",
        this::deepTree,
        metaError(ErrorCode.INVALID_PATH, "over 4096"));
  }

  private Outcome deepTree() throws IOException {
    String deep = "/deep" + "/d".repeat(2000); // 4005 bytes
    MetaResponse made = cluster.call(mkdir(deep, true));
    assertEquals(ErrorCode.OK, made.getError(), made::toString);
    MetaResponse renamed =
        cluster.call(rename("/deep", "/deep-with-a-much-longer-name-" + "x".repeat(100)));
    MetaResponse deleted = cluster.call(delete("/deep", true));
    assertEquals(ErrorCode.OK, deleted.getError(), deleted::toString);
    return metaOutcome(
        "mkdir -p /deep/d/…/d (2001 levels); rename /deep to a 130-byte name; rm -r /deep",
        renamed);
  }

  private static MetaRequest.Builder concat(String target, String... sources) {
    return MetaRequest.newBuilder()
        .setConcat(ConcatRequest.newBuilder().setTarget(target).addAllSources(List.of(sources)));
  }

  private void meta(String name, MetaRequest.Builder request, ErrorCode code, String fragment) {
    add(
        name,
        () ->
            metaOutcome(
                show(request.build().toString().replace("\n", " ").trim()),
                cluster.call(
                    request.setClientId("bad-input").setCallId(callIds.incrementAndGet()))),
        metaError(code, fragment));
  }

  /** A data node reached by address alone, its id unknown (any data node's certificate will do). */
  private static DataNodeAddress anyDataNodeAt(String address) {
    return DataNodeAddress.newBuilder().setHttpAddress(address).build();
  }

  private static Outcome metaOutcome(String request, MetaResponse response) {
    String message = response.getError() + ": " + response.getMessage();
    return new Outcome(request, "200 " + show(message), 200, message);
  }

  private static MetaRequest.Builder mkdir(String path, boolean parents) {
    return MetaRequest.newBuilder()
        .setMkdir(MkdirRequest.newBuilder().setPath(path).setParents(parents));
  }

  private static MetaRequest.Builder list(String path) {
    return MetaRequest.newBuilder().setList(ListRequest.newBuilder().setPath(path));
  }

  private static MetaRequest.Builder stat(String path) {
    return MetaRequest.newBuilder().setStat(StatRequest.newBuilder().setPath(path));
  }

  private static MetaRequest.Builder rename(String source, String destination) {
    return MetaRequest.newBuilder()
        .setRename(RenameRequest.newBuilder().setSource(source).setDestination(destination));
  }

  private static MetaRequest.Builder delete(String path, boolean recursive) {
    return MetaRequest.newBuilder()
        .setDelete(DeleteRequest.newBuilder().setPath(path).setRecursive(recursive));
  }

  private static MetaRequest.Builder commit(
      String path, int replication, long blockSize, boolean overwrite) {
    return MetaRequest.newBuilder()
        .setCommitFile(
            CommitFileRequest.newBuilder()
                .setPath(path)
                .setReplication(replication)
                .setBlockSize(blockSize)
                .setOverwrite(overwrite));
  }

  private static MetaRequest.Builder allocate(
      String path, int count, int replication, long blockSize) {
    return MetaRequest.newBuilder()
        .setAllocateBlocks(
            AllocateBlocksRequest.newBuilder()
                .setPath(path)
                .setCount(count)
                .setReplication(replication)
                .setBlockSize(blockSize));
  }

  private static MetaRequestList statList(String path) {
    return MetaRequestList.newBuilder()
        .addRequests(stat(path).setClientId("bad-input").setCallId(1))
        .build();
  }

  // ---------------------------------------------------------------- data nodes over HTTP

  private void dataNodeHttp() {
    group = "datanode-http";
    byte[] body = "sixteen bytes!!\n".getBytes(StandardCharsets.US_ASCII);
    String crc = Integer.toUnsignedString(crc32c(body));
    add("PUT /blocks/abc", () -> put("abc", body, crc, null), status(400, ""));
    add("PUT /blocks/-1", () -> put("-1", body, crc, null), status(400, ""));
    add("PUT /blocks/2^64", () -> put("18446744073709551616", body, crc, null), status(400, ""));
    add(
        "PUT /blocks/ of 21 digits",
        () -> put("000000000000000000001", body, crc, null),
        status(400, ""));
    add("PUT /blocks/ with an empty id", () -> put("", body, crc, null), refusedOrClosed(400, 405));
    add(
        "PUT /blocks/1%2F..%2F..%2Fnode-id",
        () -> put("1%2F..%2F..%2Fnode-id", body, crc, null), status(400, "invalid block id"));
    add(
        "PUT without Content-Length (chunked)",
        () ->
            request(
                cluster.dataNode(),
                "PUT /blocks/900001 HTTP/1.1\r\nX-Raftfs-Crc32c: "
                    + crc
                    + "\r\nTransfer-Encoding: chunked",
                chunked(body)),
        refusedOrClosed(400, 411));
    add(
        "PUT chunked and with Content-Length",
        () ->
            request(
                cluster.dataNode(),
                "PUT /blocks/900002 HTTP/1.1\r\nX-Raftfs-Crc32c: "
                    + crc
                    + "\r\nContent-Length: 16\r\nTransfer-Encoding: chunked",
                chunked(body)),
        refusedOrClosed(400, 400));
    add(
        "PUT without X-Raftfs-Crc32c",
        () -> put("900003", body, null, null),
        status(400, "X-Raftfs-Crc32c"));
    add(
        "PUT with X-Raftfs-Crc32c: abc",
        () -> put("900004", body, "abc", null),
        status(400, "abc"));
    add(
        "PUT with X-Raftfs-Crc32c: 2^32",
        () -> put("900005", body, "4294967296", null),
        status(400, "4294967296"));
    add("PUT with X-Raftfs-Crc32c: -1", () -> put("900006", body, "-1", null), status(400, "-1"));
    add("PUT with a CRC mismatch", () -> put("900007", body, "12345", null), status(422, ""));
    add(
        "PUT with Content-Length -16",
        () -> putRaw("900008", "Content-Length: -16\r\nX-Raftfs-Crc32c: " + crc, body, false),
        malformed(400));
    add(
        "PUT with Content-Length 2^63",
        () ->
            putRaw(
                "900009",
                "Content-Length: 9223372036854775808\r\nX-Raftfs-Crc32c: " + crc,
                body,
                false),
        malformed(400));
    add(
        "PUT with Content-Length 2^63-1",
        () ->
            putRaw(
                "900010",
                "Content-Length: 9223372036854775807\r\nX-Raftfs-Crc32c: " + crc,
                body,
                false),
        refusedOrClosed(413, 507));
    add(
        "PUT of more than the node's capacity",
        () ->
            putRaw(
                "900011",
                "Content-Length: "
                    + (BadInputSuiteTest.CAPACITY + 1)
                    + "\r\nX-Raftfs-Crc32c: "
                    + crc,
                body,
                false),
        status(507, "not enough space"));
    add(
        "PUT with a body shorter than Content-Length, then end of input",
        () ->
            putRaw(
                "900012",
                "Content-Length: 100000\r\nX-Raftfs-Crc32c: " + crc,
                random(7, 70_000),
                true),
        closed());
    add(
        "PUT with a body longer than Content-Length (CRC of the first 16 bytes wrong)",
        () ->
            exchange(
                cluster.dataNode(),
                "PUT /blocks/900013 (Content-Length 16, 48 bytes sent)",
                RawHttp.request(
                    authorized(
                        "PUT /blocks/900013 HTTP/1.1\r\nHost: d\r\nContent-Length: 16\r\nX-Raftfs-Crc32c: 1"),
                    concat(body, random(8, 32))),
                2,
                true),
        refusedOrClosed(400, 400));
    add(
        "PUT with X-Raftfs-Pipeline: not a host",
        () -> put("900014", body, crc, "not a host"),
        status(400, "X-Raftfs-Pipeline"));
    add(
        "PUT with X-Raftfs-Pipeline port 99999",
        () -> put("900015", body, crc, "127.0.0.1:99999"),
        status(400, "X-Raftfs-Pipeline"));
    add(
        "PUT with X-Raftfs-Pipeline: ,,,",
        () -> put("900016", body, crc, ",,,"),
        status(400, "blank entry"));
    add(
        "PUT down a pipeline to an address no data node registered (a closed port)",
        () -> put("900017", body, crc, "127.0.0.1:" + closedPort()),
        status(403, "is not a registered data node"));
    add(
        "PUT of a block the node already holds",
        () ->
            put(
                Long.toUnsignedString(cluster.storedBlock().getBlock().getBlockId()),
                body,
                crc,
                null),
        status(409, ""));
    add("GET /blocks/abc", () -> blockRequest("GET", "abc", null), status(400, ""));
    add(
        "GET /blocks/ with an empty id",
        () -> blockRequest("GET", "", null),
        refusedOrClosed(400, 404));
    add(
        "GET /blocks/2^64+1",
        () -> blockRequest("GET", "18446744073709551617", null),
        status(400, ""));
    add(
        "GET /blocks/ of an unknown block",
        () -> blockRequest("GET", "987654321987", null),
        status(404, "no block"));
    add(
        "GET /blocks/..%2Fnode-id",
        () -> blockRequest("GET", "..%2Fnode-id", null), status(400, "invalid block id"));
    add("HEAD /blocks/abc", () -> blockRequest("HEAD", "abc", null), status(400, ""));
    add(
        "HEAD /blocks/ of an unknown block",
        () -> blockRequest("HEAD", "987654321987", null),
        status(404, ""));
    add("DELETE /blocks/abc", () -> blockRequest("DELETE", "abc", null), status(400, ""));
    add("DELETE /blocks/-5", () -> blockRequest("DELETE", "-5", null), status(400, ""));
    add(
        "DELETE /blocks/ of an unknown block",
        () -> blockRequest("DELETE", "987654321987", null),
        status(404, ""));
    add("POST /blocks/1", () -> blockRequest("POST", "1", null), refusedOrClosed(400, 405));
    add(
        "GET /no/such/route on a data node",
        () -> request(cluster.dataNode(), "GET /no/such/route HTTP/1.1", new byte[0]),
        status(404, "no route"));
    add(
        "GET /status with a 64 KiB header",
        () ->
            request(
                cluster.dataNode(),
                "GET /status HTTP/1.1\r\nX-Big: " + "x".repeat(64 << 10),
                new byte[0]),
        malformed(431));
    add(
        "GET of a 9 KiB request line on a data node",
        () ->
            request(
                cluster.dataNode(),
                "GET /blocks/" + "1".repeat(9 << 10) + " HTTP/1.1",
                new byte[0]),
        malformed(414));
    add(
        "PUT with Transfer-Encoding: gzip",
        () ->
            request(
                cluster.dataNode(),
                "PUT /blocks/900019 HTTP/1.1\r\nX-Raftfs-Crc32c: "
                    + crc
                    + "\r\nTransfer-Encoding: gzip",
                body),
        status(400, "Content-Length is required"));
    add(
        "a request line with a control character on a data node",
        () ->
            exchange(
                cluster.dataNode(),
                "GET /st\\u0001atus HTTP/1.1 x",
                bytes("GET /st\u0001atus HTTP/1.1 x\r\nHost: d\r\n\r\n"),
                1,
                true),
        malformed(400));
    add(
        "random bytes on the data node port",
        () -> exchange(cluster.dataNode(), "4 KiB of random bytes", random(9, 4096), 1, true),
        malformed(400));
    add(
        "an HTTP/2 preface on the data node port (h2c is off)",
        () ->
            exchange(
                cluster.dataNode(),
                "PRI * HTTP/2.0 preface",
                "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                1,
                true),
        refusedOrClosed(400, 505));
    add(
        "a slow sender of a PUT holds its reservation, not the node",
        () ->
            slowSender(
                cluster.dataNode(), "/blocks/900018", null, random(10, 50_000), "/status", crc),
        status(200, "freeBytes"));
  }

  // ---------------------------------------------------------------- block access tokens

  private void blockTokens() {
    group = "block-token";
    byte[] body = "sixteen bytes!!\n".getBytes(StandardCharsets.US_ASCII);
    String crc = Integer.toUnsignedString(crc32c(body));
    int read = BlockTokens.Op.READ.bit();
    int write = BlockTokens.Op.WRITE.bit();
    long later = System.currentTimeMillis() + 600_000;
    List<String> self = List.of(cluster.dataNode());
    add(
        "PUT without a token",
        () -> sendBlock("PUT", 910001, null, null, body, crc),
        status(401, "no block token"));
    add(
        "PUT with a token that is not base64url",
        () -> sendBlock("PUT", 910002, "%%%not-a-token%%%", null, body, crc),
        status(401, "malformed block token"));
    add(
        "PUT with a token for another block",
        () -> sendBlock("PUT", 910003, token(910004, write, self, later, null), null, body, crc),
        status(403, "is for block 910004"));
    add(
        "PUT with a READ token",
        () -> sendBlock("PUT", 910005, token(910005, read, self, later, null), null, body, crc),
        status(403, "does not allow WRITE"));
    add(
        "PUT with an expired token",
        () ->
            sendBlock(
                "PUT",
                910006,
                token(910006, write, self, System.currentTimeMillis() - 1000, null),
                null,
                body,
                crc),
        status(403, "block token expired"));
    add(
        "PUT with a token whose HMAC is forged",
        () ->
            sendBlock(
                "PUT", 910007, token(910007, write, self, later, new byte[32]), null, body, crc),
        status(403, "signature does not match"));
    add(
        "PUT with a token naming an unknown key",
        () ->
            sendBlock(
                "PUT",
                910008,
                BlockTokens.sign(
                    BlockToken.newBuilder()
                        .setKeyId(cluster.blockKey().getKeyId() ^ 0x55)
                        .setBlockId(910008)
                        .setOps(write)
                        .setExpiryMs(later)
                        .addAllChain(self)
                        .build(),
                    cluster.blockKey().toBuilder()
                        .setKeyId(cluster.blockKey().getKeyId() ^ 0x55)
                        .build()),
                null,
                body,
                crc),
        status(403, "unknown or expired block key"));
    add(
        "PUT with a pipeline the token's chain does not name",
        () ->
            sendBlock(
                "PUT",
                910009,
                token(910009, write, self, later, null),
                cluster.storedBlock().getReplicas(1).getHttpAddress(),
                body,
                crc),
        status(403, "does not end with"));
    add(
        "PUT replaying a token to a data node not in its chain",
        () ->
            sendBlock(
                "PUT",
                910010,
                token(910010, write, List.of("127.0.0.1:" + closedPort()), later, null),
                null,
                body,
                crc),
        status(403, "does not end with"));
    add(
        "GET replaying a READ token to a data node it does not name",
        () -> {
          long id = cluster.storedBlock().getBlock().getBlockId();
          List<String> elsewhere = List.of("127.0.0.1:" + closedPort());
          return sendBlock("GET", id, token(id, read, elsewhere, later, null), null, null, null);
        },
        status(403, "does not name"));
    add(
        "GET of a stored block without a token",
        () ->
            sendBlock("GET", cluster.storedBlock().getBlock().getBlockId(), null, null, null, null),
        status(401, "no block token"));
    add(
        "GET of a stored block with a write token",
        () -> {
          long id = cluster.storedBlock().getBlock().getBlockId();
          return sendBlock("GET", id, token(id, write, self, later, null), null, null, null);
        },
        status(403, "does not allow READ"));
    add(
        "HEAD of a stored block with the token the leader issued",
        () ->
            sendBlock(
                "HEAD",
                cluster.storedBlock().getBlock().getBlockId(),
                cluster.storedBlock().getToken(),
                null,
                null,
                null),
        status(200, ""));
    add(
        "DELETE of a stored block with the leader's READ token",
        () ->
            sendBlock(
                "DELETE",
                cluster.storedBlock().getBlock().getBlockId(),
                cluster.storedBlock().getToken(),
                null,
                null,
                null),
        status(403, "does not allow DELETE"));
  }

  /** A block request to the data node with exactly the token given (null: none). */
  private Outcome sendBlock(
      String method, long blockId, String token, String pipeline, byte[] body, String crc)
      throws IOException {
    byte[] bytes = body == null ? new byte[0] : body;
    String head =
        method
            + " /blocks/"
            + Long.toUnsignedString(blockId)
            + " HTTP/1.1\r\nHost: d\r\nConnection: close"
            + (body == null ? "" : "\r\nContent-Length: " + bytes.length)
            + (crc == null ? "" : "\r\nX-Raftfs-Crc32c: " + crc)
            + (pipeline == null ? "" : "\r\nX-Raftfs-Pipeline: " + pipeline)
            + (token == null ? "" : "\r\n" + DataNodeProtocol.BLOCK_TOKEN + ": " + token);
    String shown =
        method
            + " /blocks/"
            + Long.toUnsignedString(blockId)
            + (token == null ? " without a token" : " with a token")
            + (pipeline == null ? "" : ", pipeline " + pipeline);
    return exchange(cluster.dataNode(), shown, RawHttp.request(head, bytes), 1, false);
  }

  private void ranges() {
    group = "datanode-range";
    for (String range :
        List.of(
            "bytes=-0",
            "bytes=5-2",
            "bytes=99999999999999999999-",
            "bytes=0-99999999999999999999",
            "bytes=-99999999999999999999",
            "bytes=0-1,4-5",
            "bytes=300000-",
            "bytes=1000000-2000000",
            "bytes=",
            "bytes=a-b",
            "bytes=--1",
            "items=0-5")) {
      add(
          "GET with Range: " + range,
          () ->
              blockRequest(
                  "GET",
                  Long.toUnsignedString(cluster.storedBlock().getBlock().getBlockId()),
                  range),
          status(416, "not satisfiable"));
    }
  }

  // ---------------------------------------------------------------- the raftfs command

  private void cli() {
    group = "cli";
    // Local paths are absolute: the command runs in this JVM, whose working directory is the
    // module's.
    String local = cluster.local().resolve("local.txt").toString();
    String copy = cluster.local().resolve("copy").toString();
    // Relative paths are taken from the root: an empty one is /.
    cli("mkdir of an empty path", exit(4, "/: File exists"), "mkdir", "");
    cli("mkdir through ..", exit(8, "'..' segment"), "mkdir", "/keep/../x");
    cli("mkdir with a NUL", exit(8, "NUL"), "mkdir", "/a\0b");
    cli("mkdir with a bell", exit(8, "/a?b: Invalid path"), "mkdir", "/a\u0007b");
    cli(
        "mkdir of a 256-byte name",
        exit(8, "longer than 255 bytes"),
        "mkdir",
        "/" + "n".repeat(256));
    cli(
        "mkdir -p of a 4097-byte path",
        exit(8, "longer than 4096 bytes"),
        "mkdir",
        "-p",
        "/" + "p/".repeat(2047) + "pp");
    cli("mkdir of an existing directory", exit(4, ""), "mkdir", "/keep");
    cli("ls of a missing directory", exit(3, "No such file or directory"), "ls", "/no/such");
    cli("ls of //", exit(8, "empty segment"), "ls", "//");
    cli("stat of a missing file", exit(3, "No such file or directory"), "stat", "/keep/nothing");
    cli("stat of a name with control characters", exit(3, ""), "stat", "/\u0007\u001b[31m");
    cli("cat of a directory", exit(6, ""), "cat", "/keep");
    cli("cat of a missing file", exit(3, ""), "cat", "/keep/missing");
    cli("get of a missing file", exit(3, ""), "get", "/keep/missing", copy);
    cli("get onto an existing local file", exit(4, ""), "get", "/keep/small.txt", local);
    cli("get of a directory", exit(6, ""), "get", "/keep", copy);
    cli(
        "put of a missing local file",
        exit(3, ""),
        "put",
        cluster.local().resolve("no-such-local-file").toString(),
        "/keep/x");
    cli("put with --block-size 0", exitIn("", 2, 8), "put", "--block-size", "0", local, "/keep/x");
    cli("put with --block-size -5", exit(2, ""), "put", "--block-size", "-5", local, "/keep/x");
    cli(
        "put with --block-size 2^70",
        exit(2, ""),
        "put",
        "--block-size",
        "1180591620717411303424",
        local,
        "/keep/x");
    cli("put with --block-size 1q", exit(2, ""), "put", "--block-size", "1q", local, "/keep/x");
    cli("put with -r 0", exitIn("", 2, 8), "put", "-r", "0", local, "/keep/x");
    cli("put with -r 99", exitIn("", 2, 8, 9), "put", "-r", "99", local, "/keep/x");
    cli("put with -r -1", exitIn("", 2, 8), "put", "-r", "-1", local, "/keep/x");
    cli("put over an existing file", exit(4, "File exists"), "put", local, "/keep/small.txt");
    cli("put below a file", exit(5, ""), "put", local, "/keep/small.txt/child");
    cli("put into a missing directory", exit(3, ""), "put", local, "/no/such/dir/x");
    cli("rm of a missing file", exit(3, ""), "rm", "/keep/missing");
    cli("rm of a non-empty directory", exit(7, "Directory not empty"), "rm", "/keep");
    cli("rm -r of the root", exit(8, "root"), "rm", "-r", "/");
    cli("mv of a directory into itself", exit(8, ""), "mv", "/keep", "/keep/dir/in");
    cli("mv of a missing file", exit(3, ""), "mv", "/keep/missing", "/keep/x");
    cli("mv of the root", exit(8, "root"), "mv", "/", "/x");
    cli("du of a missing directory", exit(3, ""), "du", "/no/such");
    cli("fsck of a missing directory", exit(3, ""), "fsck", "/no/such");
    cli("fsck through ..", exit(8, ""), "fsck", "/keep/..");
    cli(
        "admin decommission of an unknown node",
        exit(3, "dn-nobody"),
        "admin",
        "decommission",
        "dn-nobody");
    cli("an unknown verb", exit(2, ""), "frobnicate", "/");
    cli("an unknown option", exit(2, ""), "ls", "--frobnicate", "/");
    cli("a missing argument", exit(2, ""), "mv", "/keep");
    cli("--timeout -1s", exit(2, ""), "--timeout", "-1s", "ls", "/");
    cli("--timeout of words", exit(2, ""), "--timeout", "soon", "ls", "/");
    cli("--masters of commas only", exit(2, "no masters"), "--masters", ",,,", "ls", "/");
    cli(
        "--masters with a bad port",
        exit(2, "--masters: '127.0.0.1:99999' is not host:port"),
        "--masters",
        "127.0.0.1:99999",
        "--timeout",
        "1s",
        "ls",
        "/");
    cli(
        "--masters on a closed port",
        exit(10, ""),
        "--masters",
        "127.0.0.1:" + closedPortQuietly(),
        "--timeout",
        "1s",
        "ls",
        "/");
    cli(
        "--conf of a missing file",
        exit(2, ""),
        "--conf",
        cluster.local().resolve("no-such.conf").toString(),
        "ls",
        "/");
    cli(
        "cluster status on a closed port",
        exit(10, ""),
        "cluster",
        "status",
        "--masters",
        "127.0.0.1:" + closedPortQuietly(),
        "--timeout",
        "1s");
  }

  private void cli(String name, Expect expect, String... args) {
    add(
        name,
        () -> {
          InProcessCli.Result run = cluster.raftfs(args);
          String first = run.stderr().lines().findFirst().orElse("");
          return new Outcome(
              "raftfs "
                  + Arrays.stream(args).map(BadInputCases::show).collect(Collectors.joining(" ")),
              "exit " + run.exit() + ", " + show(first),
              run.exit(),
              run.stderr());
        },
        expect);
  }

  // ---------------------------------------------------------------- fake servers that answer
  // garbage

  private void fakeServers() {
    group = "fake-server";
    fakeMaster("not HTTP at all", "garbage\u0000\u00ff\r\n\r\n");
    fakeMaster(
        "200 with a body that is not protobuf",
        "HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nContent-Length: 7\r\n\r\n\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff");
    fakeMaster(
        "200 with a truncated body",
        "HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nContent-Length: 1000\r\n\r\n\n\u0005");
    fakeMaster(
        "500 with an HTML page",
        "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/html\r\nContent-Length: 27\r\n\r\n<html>Whitelabel Error</html>");
    fakeMaster("a status line with no status", "HTTP/1.1 OK\r\nContent-Length: 0\r\n\r\n");
    fakeMaster("a status of 999", "HTTP/1.1 999 Weird\r\nContent-Length: 0\r\n\r\n");
    fakeMaster("200 with Content-Length -5", "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n");
    fakeMaster("an empty answer (closed at once)", "");
    add(
        "a master answering NOT_FOUND with escape sequences and 20,000 characters",
        () -> {
          String message = "\u001b[2J\u001b]0;pwned\u0007\r" + "y".repeat(20_000);
          try (FakeServer fake = FakeServer.answering(metaAnswer(ErrorCode.NOT_FOUND, message))) {
            InProcessCli.Result run =
                cluster.raftfs("--masters", fake.address(), "--timeout", "1s", "stat", "/keep");
            String first = run.stderr().lines().findFirst().orElse("");
            assertTrue(first.length() < 500, () -> "not cut: " + first.length() + " characters");
            return new Outcome(
                "raftfs stat /keep against a fake master answering NOT_FOUND: " + show(message),
                "exit " + run.exit() + ", " + show(first),
                run.exit(),
                run.stderr());
          }
        },
        exit(3, "?[2J?]0;pwned??yyy"));
    fakeMaster("200 with NOT_LEADER naming itself", notLeaderToSelf());
    fakeDataNode("GET: not HTTP at all", "garbage\r\n\r\n", false);
    fakeDataNode(
        "GET: 200 with a short body",
        "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789",
        false);
    fakeDataNode(
        "GET: 200 with a long body",
        "HTTP/1.1 200 OK\r\nContent-Length: 30\r\n\r\n" + "x".repeat(30),
        false);
    fakeDataNode(
        "GET: 200 with a body cut short",
        "HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n0123",
        false);
    fakeDataNode(
        "PUT: 201 with a body that is not JSON",
        "HTTP/1.1 201 Created\r\nContent-Length: 5\r\n\r\n<xml>",
        true);
    fakeDataNode(
        "PUT: 502 naming no node", "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 2\r\n\r\n{}", true);
  }

  /** A NOT_LEADER answer whose hint points back at a port that answers the same. */
  private static String notLeaderToSelf() {
    return metaAnswer(
        MetaResponse.newBuilder()
            .setError(ErrorCode.NOT_LEADER)
            .setMessage("not me")
            .setLeaderHint("127.0.0.1:1"));
  }

  private static String metaAnswer(ErrorCode code, String message) {
    return metaAnswer(MetaResponse.newBuilder().setError(code).setMessage(message));
  }

  /** A 200 answer of one MetaResponse, as the raw text a FakeServer sends. */
  private static String metaAnswer(MetaResponse.Builder response) {
    byte[] body = MetaResponseList.newBuilder().addResponses(response).build().toByteArray();
    return "HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nContent-Length: "
        + body.length
        + "\r\n\r\n"
        + new String(body, StandardCharsets.ISO_8859_1);
  }

  private void fakeMaster(String name, String answer) {
    add(
        "a master answering " + name,
        () -> {
          try (FakeServer fake = FakeServer.answering(answer)) {
            InProcessCli.Result run =
                cluster.raftfs("--masters", fake.address(), "--timeout", "1s", "stat", "/keep");
            return new Outcome(
                "raftfs stat /keep against a fake master answering " + show(answer),
                "exit " + run.exit() + ", " + show(run.stderr().lines().findFirst().orElse("")),
                run.exit(),
                run.stderr());
          }
        },
        exitIn("", 1, 10));
  }

  private void fakeDataNode(String name, String answer, boolean put) {
    add(
        "a data node answering " + name,
        () -> {
          try (FakeServer fake = FakeServer.answering(answer);
              DataNodeClient client = new DataNodeClient()) {
            String request = (put ? "PUT" : "GET") + " block 77 (20 bytes) through DataNodeClient";
            try {
              if (put) {
                byte[] data = new byte[20];
                client.putBlock(
                    List.of(anyDataNodeAt(fake.address())),
                    77,
                    new io.raftfs.client.transfer.BlockSlice.InMemory(0, data),
                    crc32c(data),
                    n -> {});
              } else {
                client.getBlock(
                    anyDataNodeAt(fake.address()), 77, 20, BlockSink.of(new byte[20]), n -> {});
              }
              return new Outcome(request, "no error", 0, "");
            } catch (DataNodeException e) {
              return new Outcome(
                  request, "DataNodeException: " + e.getMessage(), 1, e.getMessage());
            }
          }
        },
        new Expect("a DataNodeException", s -> s == 1, List.of("127.0.0.1:"), false));
  }

  // ---------------------------------------------------------------- sending

  static final String PROTOBUF = "application/x-protobuf";

  private Outcome post(String address, String path, String contentType, byte[] body)
      throws IOException {
    String head =
        "POST "
            + path
            + " HTTP/1.1"
            + (contentType == null ? "" : "\r\nContent-Type: " + contentType)
            + "\r\nContent-Length: "
            + body.length;
    return request(address, head, body);
  }

  /** One request (Host and Connection: close added), one answer. */
  private Outcome request(String address, String head, byte[] body) throws IOException {
    String full = authorized(head) + "\r\nHost: " + address + "\r\nConnection: close";
    String firstLine = head.lines().findFirst().orElse("");
    String shown =
        show(firstLine)
            + (head.length() > firstLine.length()
                ? " [" + (head.length() - firstLine.length()) + " more header bytes]"
                : "")
            + (body.length > 0 ? " + " + body.length + " body bytes" : "");
    return exchange(address, shown, RawHttp.request(full, body), 1, false);
  }

  private Outcome exchange(
      String address, String shown, byte[] bytes, int answers, boolean halfClose)
      throws IOException {
    List<Answer> got = RawHttp.exchange(address, bytes, answers, halfClose);
    Answer last = got.get(got.size() - 1);
    String answer = got.stream().map(Answer::toString).collect(Collectors.joining("; then "));
    return new Outcome(
        shown + " to " + address, answer, last.status(), last.isClosed() ? "" : last.message());
  }

  private Outcome put(String id, byte[] body, String crc, String pipeline) throws IOException {
    String head =
        "PUT /blocks/"
            + id
            + " HTTP/1.1\r\nContent-Length: "
            + body.length
            + (crc == null ? "" : "\r\nX-Raftfs-Crc32c: " + crc)
            + (pipeline == null ? "" : "\r\nX-Raftfs-Pipeline: " + pipeline);
    Outcome outcome = request(cluster.dataNode(), head, body);
    return new Outcome(
        "PUT /blocks/"
            + id
            + " ("
            + body.length
            + " bytes"
            + (crc == null ? ", no CRC" : ", CRC " + crc)
            + (pipeline == null ? "" : ", pipeline '" + pipeline + "'")
            + ")",
        outcome.answer(),
        outcome.status(),
        outcome.message());
  }

  private Outcome putRaw(String id, String headers, byte[] body, boolean halfClose)
      throws IOException {
    String shown =
        "PUT /blocks/"
            + id
            + " ("
            + headers.replace("\r\n", ", ")
            + ", "
            + body.length
            + " bytes sent"
            + (halfClose ? ", then end of input" : "")
            + ")";
    return exchange(
        cluster.dataNode(),
        shown,
        RawHttp.request(
            authorized(
                "PUT /blocks/"
                    + id
                    + " HTTP/1.1\r\nHost: d\r\n"
                    + headers
                    + (halfClose ? "" : "\r\nConnection: close")),
            body),
        1,
        halfClose);
  }

  /**
   * {@code head} with a valid block token for the request it starts, when it is a block request
   * that names a block id and carries no token: READ for GET and HEAD, WRITE naming the target and
   * pipeline for PUT, DELETE for DELETE. The block-token cases send theirs with {@link #sendBlock}.
   */
  private String authorized(String head) {
    Matcher request = BLOCK_REQUEST.matcher(head);
    if (!request.lookingAt() || head.contains(DataNodeProtocol.BLOCK_TOKEN)) {
      return head;
    }
    long blockId;
    try {
      blockId = Long.parseUnsignedLong(request.group(2));
    } catch (NumberFormatException e) {
      return head;
    }
    BlockTokens.Op op =
        switch (request.group(1)) {
          case "PUT" -> BlockTokens.Op.WRITE;
          case "DELETE" -> BlockTokens.Op.DELETE;
          default -> BlockTokens.Op.READ;
        };
    List<String> chain = new ArrayList<>(List.of(cluster.dataNode()));
    Matcher pipeline = PIPELINE_HEADER.matcher(head);
    if (pipeline.find()) {
      Arrays.stream(pipeline.group(1).split(",")).map(String::trim).forEach(chain::add);
    }
    String token = token(blockId, op.bit(), chain, System.currentTimeMillis() + 600_000, null);
    int endOfLine = head.indexOf("\r\n");
    return endOfLine < 0
        ? head + "\r\n" + DataNodeProtocol.BLOCK_TOKEN + ": " + token
        : head.substring(0, endOfLine)
            + "\r\n"
            + DataNodeProtocol.BLOCK_TOKEN
            + ": "
            + token
            + head.substring(endOfLine);
  }

  /** A token signed with the cluster's block key, or with {@code forgedSecret} if not null. */
  private String token(
      long blockId, int ops, List<String> chain, long expiry, byte[] forgedSecret) {
    BlockKey key = cluster.blockKey();
    if (forgedSecret != null) {
      key = key.toBuilder().setSecret(ByteString.copyFrom(forgedSecret)).build();
    }
    return BlockTokens.sign(
        BlockToken.newBuilder()
            .setKeyId(key.getKeyId())
            .setBlockId(blockId)
            .setOps(ops)
            .setAccessKeyId(cluster.rootKey().id())
            .setExpiryMs(expiry)
            .addAllChain(chain)
            .build(),
        key);
  }

  private Outcome blockRequest(String method, String id, String range) throws IOException {
    return request(
        cluster.dataNode(),
        method + " /blocks/" + id + " HTTP/1.1" + (range == null ? "" : "\r\nRange: " + range),
        new byte[0]);
  }

  /**
   * Sends a request's head and half its body, then, with that connection still open, asks the same
   * server for {@code probePath} on another: the answer must come. Then the slow connection is
   * closed; the invariant checks after the case see that nothing of it stayed.
   */
  private Outcome slowSender(
      String address, String path, String contentType, byte[] body, String probePath, String crc)
      throws IOException {
    boolean put = crc != null;
    String head =
        (put ? "PUT " : "POST ")
            + path
            + " HTTP/1.1\r\nHost: x\r\nContent-Length: "
            + body.length
            + (contentType == null ? "" : "\r\nContent-Type: " + contentType)
            + (crc == null ? "" : "\r\nX-Raftfs-Crc32c: " + crc);
    head = authorized(head);
    byte[] half = Arrays.copyOf(RawHttp.request(head, body), head.length() + 4 + body.length / 2);
    try (Socket slow = RawHttp.connect(address)) {
      OutputStream out = slow.getOutputStream();
      out.write(half);
      out.flush();
      if (put) {
        Await.until(
            Duration.ofSeconds(10),
            "the slow PUT's reservation",
            () -> cluster.activeWrites(address) == 1);
      }
      List<Answer> answers =
          RawHttp.exchange(
              address,
              RawHttp.request(
                  "GET " + probePath + " HTTP/1.1\r\nHost: x\r\nConnection: close", new byte[0]),
              1,
              false);
      Answer answer = answers.get(0);
      return new Outcome(
          (put ? "PUT " : "POST ")
              + path
              + ": head and "
              + body.length / 2
              + " of "
              + body.length
              + " body bytes, then GET "
              + probePath
              + " on another connection, then close",
          answer.toString(),
          answer.status(),
          answer.body());
    }
  }

  // ---------------------------------------------------------------- helpers

  private static byte[] random(int seed, int length) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static byte[] truncated(byte[] message) {
    return Arrays.copyOf(message, message.length - 3);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] chunked(byte[] body) {
    return concat(
        concat(bytes(Integer.toHexString(body.length) + "\r\n"), body), bytes("\r\n0\r\n\r\n"));
  }

  private static int crc32c(byte[] data) {
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(data);
    return (int) crc.getValue();
  }

  /** A loopback port nothing listens on (just closed). */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static int closedPortQuietly() {
    try {
      return closedPort();
    } catch (IOException e) {
      return 1;
    }
  }

  /** Control characters escaped, long text shortened, so every case prints on one line. */
  static String show(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    String shown = out.toString();
    if (shown.length() > 120) {
      return shown.substring(0, 60)
          + "…("
          + text.getBytes(StandardCharsets.UTF_8).length
          + " bytes)…"
          + shown.substring(shown.length() - 20);
    }
    return shown.isEmpty() ? "''" : shown;
  }
}
