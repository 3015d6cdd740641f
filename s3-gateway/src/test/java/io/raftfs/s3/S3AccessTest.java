package io.raftfs.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.client.FileSystemClient;
import io.raftfs.proto.UserInfo;
import io.raftfs.testing.cluster.MiniRaftfsCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.GetObjectAclResponse;
import software.amazon.awssdk.services.s3.model.Grant;
import software.amazon.awssdk.services.s3.model.ListBucketsResponse;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.Type;

/**
 * What S3 tools and ceph/s3-tests found missing, with the AWS SDK for Java v2 and two users:
 * buckets listed for their owner only and in pages, a taken name, objects private unless their
 * canned ACL says otherwise (ACLs are the mode bits), owners in listings, conditional writes and
 * deletes, and a malformed Content-MD5.
 */
class S3AccessTest {
  @TempDir static Path clusterDir;

  private static MiniRaftfsCluster cluster;
  private static GatewayFixture gateway;
  private static S3Client alice;
  private static S3Client bob;

  @BeforeAll
  static void start() throws Exception {
    cluster = MiniRaftfsCluster.builder().dataNodes(2).build().start(clusterDir);
    UserInfo aliceUser;
    UserInfo bobUser;
    try (FileSystemClient root = cluster.newClient()) {
      aliceUser = root.addUser("alice", List.of());
      bobUser = root.addUser("bob", List.of());
    }
    gateway = new GatewayFixture(cluster, 2, Map.of("raftfs.s3.public.read.buckets", "open-data"));
    alice = gateway.clientOf(aliceUser);
    bob = gateway.clientOf(bobUser);
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable closeable : new AutoCloseable[] {alice, bob, gateway, cluster}) {
      try {
        if (closeable != null) {
          closeable.close();
        }
      } catch (Exception e) {
        // Closing the rest anyway.
      }
    }
  }

  @Test
  void bucketsAreListedForTheirOwnerOnlyInPages() {
    for (String name : List.of("alice-1", "alice-2", "alice-3")) {
      alice.createBucket(b -> b.bucket(name));
    }
    bob.createBucket(b -> b.bucket("bob-1"));

    // Other tests make buckets of alice's too: these are the ones named alice-.
    ListBucketsResponse all = alice.listBuckets(b -> b.prefix("alice-"));
    assertEquals(List.of("alice-1", "alice-2", "alice-3"), names(all));
    assertEquals("alice", all.owner().id());
    ListBucketsResponse first = alice.listBuckets(b -> b.prefix("alice-").maxBuckets(2));
    assertEquals(List.of("alice-1", "alice-2"), names(first));
    ListBucketsResponse second =
        alice.listBuckets(
            b -> b.prefix("alice-").maxBuckets(2).continuationToken(first.continuationToken()));
    assertEquals(List.of("alice-3"), names(second));
    assertNull(second.continuationToken());
    assertEquals(List.of("bob-1"), names(bob.listBuckets()));

    assertEquals("BucketAlreadyExists", code(() -> bob.createBucket(b -> b.bucket("alice-1"))));
    // In us-east-1 S3 lets the owner create its bucket again, a no-op.
    alice.putObject(b -> b.bucket("alice-1").key("kept"), RequestBody.fromString("k"));
    alice.createBucket(b -> b.bucket("alice-1"));
    alice.headObject(b -> b.bucket("alice-1").key("kept"));
  }

  @Test
  void objectsArePrivateUnlessTheirCannedAclSharesThem() {
    alice.createBucket(b -> b.bucket("private-bucket"));
    alice.putObject(b -> b.bucket("private-bucket").key("k"), RequestBody.fromString("v"));
    assertEquals(403, status(() -> bob.listObjectsV2(b -> b.bucket("private-bucket"))));
    assertEquals(403, status(() -> bob.getObjectAsBytes(b -> b.bucket("private-bucket").key("k"))));
    assertEquals(
        List.of("alice FULL_CONTROL"),
        grants(alice.getBucketAcl(b -> b.bucket("private-bucket")).grants()));

    alice.createBucket(b -> b.bucket("shared-bucket").acl("authenticated-read"));
    alice.putObject(b -> b.bucket("shared-bucket").key("mine"), RequestBody.fromString("1"));
    alice.putObject(
        b -> b.bucket("shared-bucket").key("ours").acl(ObjectCannedACL.AUTHENTICATED_READ),
        RequestBody.fromString("2"));
    assertEquals(
        "2", bob.getObjectAsBytes(b -> b.bucket("shared-bucket").key("ours")).asUtf8String());
    assertEquals(
        403, status(() -> bob.getObjectAsBytes(b -> b.bucket("shared-bucket").key("mine"))));
    GetObjectAclResponse mine = alice.getObjectAcl(b -> b.bucket("shared-bucket").key("mine"));
    assertEquals("alice", mine.owner().id());
    assertEquals(List.of("alice FULL_CONTROL"), grants(mine.grants()));
    assertEquals(
        List.of("AuthenticatedUsers READ", "alice FULL_CONTROL"),
        grants(alice.getObjectAcl(b -> b.bucket("shared-bucket").key("ours")).grants()));

    // Only the owner changes an ACL; then the other user reads.
    assertEquals(
        403,
        status(
            () ->
                bob.putObjectAcl(
                    b ->
                        b.bucket("shared-bucket")
                            .key("mine")
                            .acl(ObjectCannedACL.AUTHENTICATED_READ))));
    alice.putObjectAcl(
        b -> b.bucket("shared-bucket").key("mine").acl(ObjectCannedACL.AUTHENTICATED_READ));
    assertEquals(
        "1", bob.getObjectAsBytes(b -> b.bucket("shared-bucket").key("mine")).asUtf8String());
    alice.putObjectAcl(b -> b.bucket("shared-bucket").key("mine").acl(ObjectCannedACL.PRIVATE));
    assertEquals(
        403, status(() -> bob.getObjectAsBytes(b -> b.bucket("shared-bucket").key("mine"))));

    // What mode bits cannot say is refused, never quietly ignored.
    assertEquals(
        "NotImplemented",
        code(
            () ->
                alice.putObjectAcl(
                    b -> b.bucket("shared-bucket").key("mine").acl(ObjectCannedACL.PUBLIC_READ))));
    assertEquals(
        "InvalidArgument",
        code(() -> alice.putBucketAcl(b -> b.bucket("shared-bucket").acl("public-ready"))));
  }

  @Test
  void listingsNameOwnersAsAskedAndVersionsAlways() {
    alice.createBucket(b -> b.bucket("owned"));
    alice.putObject(b -> b.bucket("owned").key("a/b"), RequestBody.fromString("x"));
    S3Object plain = alice.listObjectsV2(b -> b.bucket("owned")).contents().get(0);
    assertNull(plain.owner());
    S3Object withOwner =
        alice.listObjectsV2(b -> b.bucket("owned").fetchOwner(true)).contents().get(0);
    assertEquals("alice", withOwner.owner().id());
    assertEquals("alice", alice.listObjects(b -> b.bucket("owned")).contents().get(0).owner().id());
    assertEquals(
        "alice", alice.listObjectVersions(b -> b.bucket("owned")).versions().get(0).owner().id());
  }

  @Test
  void conditionalWritesAndDeletesFollowTheCurrentETag() {
    alice.createBucket(b -> b.bucket("conditions"));
    String etag =
        alice
            .putObject(
                b -> b.bucket("conditions").key("k").ifNoneMatch("*"),
                RequestBody.fromString("one"))
            .eTag();
    assertEquals(
        412,
        status(
            () ->
                alice.putObject(
                    b -> b.bucket("conditions").key("k").ifNoneMatch("*"),
                    RequestBody.fromString("two"))));
    assertEquals(
        412,
        status(
            () ->
                alice.putObject(
                    b -> b.bucket("conditions").key("k").ifMatch("\"0123\""),
                    RequestBody.fromString("two"))));
    assertEquals(
        "one", alice.getObjectAsBytes(b -> b.bucket("conditions").key("k")).asUtf8String());
    alice.putObject(
        b -> b.bucket("conditions").key("k").ifMatch(etag), RequestBody.fromString("three"));
    assertEquals(
        "three", alice.getObjectAsBytes(b -> b.bucket("conditions").key("k")).asUtf8String());

    assertEquals(
        412, status(() -> alice.deleteObject(b -> b.bucket("conditions").key("k").ifMatch(etag))));
    assertEquals(
        412,
        status(() -> alice.deleteObject(b -> b.bucket("conditions").key("k").ifMatchSize(9L))));
    alice.deleteObject(b -> b.bucket("conditions").key("k").ifMatchSize(5L));
    alice.putObject(b -> b.bucket("conditions").key("k"), RequestBody.fromString("five"));
    alice.deleteObject(b -> b.bucket("conditions").key("k").ifMatch("*"));
    assertEquals(
        "NoSuchKey",
        code(
            () ->
                alice.putObject(
                    b -> b.bucket("conditions").key("k").ifMatch("*"),
                    RequestBody.fromString("four"))));
  }

  @Test
  void aMalformedContentMd5IsAnInvalidDigest() {
    alice.createBucket(b -> b.bucket("digests"));
    assertEquals(
        "InvalidDigest",
        code(
            () ->
                alice.putObject(
                    b -> b.bucket("digests").key("k").contentMD5("YWJyYWNhZGFicmE="),
                    RequestBody.fromString("bar"))));
  }

  /**
   * A bucket public by configuration is read without credentials, by a plain unsigned HTTP request
   * and by the SDK's anonymous client: GET and HEAD of its objects (private ones too: the
   * configuration decides), HeadBucket and listings. Anything else anonymous is 403 AccessDenied:
   * writes and deletes there, sub-resources, other buckets, the bucket list.
   */
  @Test
  void aPublicBucketIsReadAnonymouslyAndNothingElseIs() throws Exception {
    alice.createBucket(b -> b.bucket("open-data"));
    alice.createBucket(b -> b.bucket("shut-data"));
    alice.putObject(
        b -> b.bucket("open-data").key("docs/read me.txt").contentType("text/plain"),
        RequestBody.fromString("public words"));
    alice.putObject(b -> b.bucket("shut-data").key("secret.txt"), RequestBody.fromString("secret"));

    HttpClient http = gateway.httpClient();
    URI endpoint = gateway.endpoint();
    HttpResponse<String> get = send(http, "GET", endpoint + "/open-data/docs/read%20me.txt");
    assertEquals(200, get.statusCode(), get.body());
    assertEquals("public words", get.body());
    assertEquals("text/plain", get.headers().firstValue("content-type").orElse(""));
    assertEquals(200, send(http, "HEAD", endpoint + "/open-data/docs/read%20me.txt").statusCode());
    assertEquals(200, send(http, "HEAD", endpoint + "/open-data").statusCode());
    HttpResponse<String> listing = send(http, "GET", endpoint + "/open-data?list-type=2");
    assertEquals(200, listing.statusCode(), listing.body());
    assertTrue(listing.body().contains("<Key>docs/read me.txt</Key>"), listing.body());
    for (String[] refused :
        new String[][] {
          {"PUT", "/open-data/new.txt"},
          {"DELETE", "/open-data/docs/read%20me.txt"},
          {"GET", "/open-data/docs/read%20me.txt?acl"},
          {"GET", "/open-data?uploads"},
          {"GET", "/open-data?versions"},
          {"GET", "/shut-data/secret.txt"},
          {"GET", "/shut-data?list-type=2"},
          {"GET", "/"},
        }) {
      HttpResponse<String> answer = send(http, refused[0], endpoint + refused[1]);
      assertEquals(403, answer.statusCode(), refused[0] + " " + refused[1] + ": " + answer.body());
      assertTrue(answer.body().contains("<Code>AccessDenied</Code>"), answer.body());
    }
    assertEquals(
        1, alice.listObjectsV2(b -> b.bucket("open-data")).contents().size(), "nothing written");

    try (S3Client anonymous = gateway.anonymousClient()) {
      assertEquals(
          "public words",
          anonymous
              .getObjectAsBytes(b -> b.bucket("open-data").key("docs/read me.txt"))
              .asUtf8String());
      assertEquals(
          List.of("docs/"),
          anonymous
              .listObjectsV2(b -> b.bucket("open-data").delimiter("/"))
              .commonPrefixes()
              .stream()
              .map(CommonPrefix::prefix)
              .toList());
      assertEquals(
          403,
          status(
              () ->
                  anonymous.putObject(
                      b -> b.bucket("open-data").key("new.txt"), RequestBody.fromString("x"))));
      assertEquals(
          "AccessDenied",
          code(() -> anonymous.getObjectAsBytes(b -> b.bucket("shut-data").key("secret.txt"))));
    }
  }

  private static HttpResponse<String> send(HttpClient http, String method, String uri)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(uri))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> names(ListBucketsResponse response) {
    return response.buckets().stream().map(Bucket::name).toList();
  }

  /** "alice FULL_CONTROL", or "AuthenticatedUsers READ" for the group. */
  private static List<String> grants(List<Grant> grants) {
    return grants.stream()
        .map(
            grant ->
                (grant.grantee().type() == Type.GROUP
                        ? grant
                            .grantee()
                            .uri()
                            .substring(grant.grantee().uri().lastIndexOf('/') + 1)
                        : grant.grantee().id())
                    + " "
                    + grant.permission())
        .toList();
  }

  private static int status(Runnable call) {
    return assertThrows(S3Exception.class, call::run).statusCode();
  }

  private static String code(Runnable call) {
    return assertThrows(S3Exception.class, call::run).awsErrorDetails().errorCode();
  }
}
