package io.raftfs.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.client.FileSystemClient;
import io.raftfs.proto.UserInfo;
import io.raftfs.testing.cluster.MiniRaftfsCluster;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The AWS SDK for Java v2, unchanged, against a gateway on a real cluster: buckets, objects (plain
 * and aws-chunked with the SDK's default CRC32 trailer), ranged gets, listings with prefixes,
 * delimiters and pages, S3's error codes, and a wrong secret refused by the masters.
 */
class S3GatewayTest {
  @TempDir static Path clusterDir;

  private static MiniRaftfsCluster cluster;
  private static GatewayFixture gateway;
  private static UserInfo alice;
  private static S3Client s3;

  @BeforeAll
  static void start() throws Exception {
    cluster = MiniRaftfsCluster.builder().dataNodes(2).build().start(clusterDir);
    try (FileSystemClient root = cluster.newClient()) {
      alice = root.addUser("alice", List.of());
    }
    gateway = new GatewayFixture(cluster, 2);
    s3 = gateway.clientOf(alice);
  }

  @AfterAll
  static void stop() {
    if (s3 != null) {
      s3.close();
    }
    if (gateway != null) {
      gateway.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void bucketsAreCreatedListedAndDeletedOnlyWhenEmpty() {
    s3.createBucket(b -> b.bucket("photos"));
    s3.headBucket(b -> b.bucket("photos"));
    assertTrue(s3.listBuckets().buckets().stream().map(Bucket::name).toList().contains("photos"));
    // In us-east-1 S3 lets the owner create its bucket again, a no-op.
    s3.createBucket(b -> b.bucket("photos"));

    s3.putObject(b -> b.bucket("photos").key("cat.jpg"), RequestBody.fromString("meow"));
    S3Exception notEmpty =
        assertThrows(S3Exception.class, () -> s3.deleteBucket(b -> b.bucket("photos")));
    assertEquals(409, notEmpty.statusCode());
    assertEquals("BucketNotEmpty", notEmpty.awsErrorDetails().errorCode());

    s3.deleteObject(b -> b.bucket("photos").key("cat.jpg"));
    s3.deleteBucket(b -> b.bucket("photos"));
    assertThrows(NoSuchBucketException.class, () -> s3.listObjectsV2(b -> b.bucket("photos")));
  }

  @Test
  void objectsRoundTripWithTheirMd5AsETag() throws Exception {
    s3.createBucket(b -> b.bucket("objects"));
    byte[] data = randomBytes(3 << 20, 1);
    PutObjectResponse put =
        s3.putObject(b -> b.bucket("objects").key("dir/sub/data.bin"), RequestBody.fromBytes(data));
    assertEquals('"' + md5Hex(data) + '"', put.eTag());

    ResponseBytes<GetObjectResponse> got =
        s3.getObjectAsBytes(b -> b.bucket("objects").key("dir/sub/data.bin"));
    assertArrayEquals(data, got.asByteArray());
    HeadObjectResponse head = s3.headObject(b -> b.bucket("objects").key("dir/sub/data.bin"));
    assertEquals(data.length, head.contentLength());

    ResponseBytes<GetObjectResponse> range =
        s3.getObjectAsBytes(
            b -> b.bucket("objects").key("dir/sub/data.bin").range("bytes=1000-1999"));
    assertEquals("bytes 1000-1999/" + data.length, range.response().contentRange());
    assertArrayEquals(Arrays.copyOfRange(data, 1000, 2000), range.asByteArray());
    ResponseBytes<GetObjectResponse> suffix =
        s3.getObjectAsBytes(b -> b.bucket("objects").key("dir/sub/data.bin").range("bytes=-10"));
    assertArrayEquals(
        Arrays.copyOfRange(data, data.length - 10, data.length), suffix.asByteArray());
    S3Exception beyond =
        assertThrows(
            S3Exception.class,
            () ->
                s3.getObjectAsBytes(
                    b ->
                        b.bucket("objects")
                            .key("dir/sub/data.bin")
                            .range("bytes=" + data.length + "-")));
    assertEquals(416, beyond.statusCode());

    s3.putObject(
        b -> b.bucket("objects").key("dir/sub/data.bin"), RequestBody.fromString("smaller"));
    assertEquals(
        "smaller",
        s3.getObjectAsBytes(b -> b.bucket("objects").key("dir/sub/data.bin")).asUtf8String());

    s3.deleteObject(b -> b.bucket("objects").key("dir/sub/data.bin"));
    assertThrows(
        NoSuchKeyException.class,
        () -> s3.getObjectAsBytes(b -> b.bucket("objects").key("dir/sub/data.bin")));
    assertThrows(
        NoSuchKeyException.class, () -> s3.headObject(b -> b.bucket("objects").key("dir")));
    s3.deleteObject(b -> b.bucket("objects").key("never-there"));
  }

  @Test
  void contentTypeAndUserMetadataAreStoredWithTheObject() {
    s3.createBucket(b -> b.bucket("meta"));
    PutObjectResponse put =
        s3.putObject(
            b ->
                b.bucket("meta")
                    .key("page.html")
                    .contentType("text/html")
                    .cacheControl("no-cache")
                    .metadata(Map.of("colour", "blue", "owner", "alice")),
            RequestBody.fromString("<p>hi</p>"));
    HeadObjectResponse head = s3.headObject(b -> b.bucket("meta").key("page.html"));
    assertEquals(put.eTag(), head.eTag());
    assertEquals("text/html", head.contentType());
    assertEquals("no-cache", head.cacheControl());
    assertEquals(Map.of("colour", "blue", "owner", "alice"), head.metadata());
    GetObjectResponse get = s3.getObjectAsBytes(b -> b.bucket("meta").key("page.html")).response();
    assertEquals(put.eTag(), get.eTag());
    assertEquals(Map.of("colour", "blue", "owner", "alice"), get.metadata());
    assertEquals(put.eTag(), s3.listObjectsV2(b -> b.bucket("meta")).contents().get(0).eTag());
    S3Exception tooLarge =
        assertThrows(
            S3Exception.class,
            () ->
                s3.putObject(
                    b -> b.bucket("meta").key("fat").metadata(Map.of("m", "x".repeat(2100))),
                    RequestBody.fromString("x")));
    assertEquals("MetadataTooLarge", tooLarge.awsErrorDetails().errorCode());
  }

  @Test
  void uploadsWithoutAwsChunkedAndChecksumsAreStoredToo() {
    try (S3Client plain =
        gateway
            .clientOf(alice.getAccessKeyId(), alice.getSecretKey())
            .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .build()) {
      plain.createBucket(b -> b.bucket("plain"));
      byte[] data = randomBytes(1 << 20, 2);
      plain.putObject(b -> b.bucket("plain").key("a b+c"), RequestBody.fromBytes(data));
      assertArrayEquals(
          data, s3.getObjectAsBytes(b -> b.bucket("plain").key("a b+c")).asByteArray());
    }
  }

  @Test
  void listingsHonourPrefixDelimiterAndPages() {
    s3.createBucket(b -> b.bucket("listing"));
    List<String> keys =
        List.of("a.txt", "b/1.txt", "b/2.txt", "b/c/3.txt", "b-side.txt", "d/4.txt", "e.txt");
    for (String key : keys) {
      s3.putObject(b -> b.bucket("listing").key(key), RequestBody.fromString(key));
    }
    ListObjectsV2Response all = s3.listObjectsV2(b -> b.bucket("listing"));
    assertEquals(
        List.of("a.txt", "b-side.txt", "b/1.txt", "b/2.txt", "b/c/3.txt", "d/4.txt", "e.txt"),
        all.contents().stream().map(S3Object::key).toList());
    assertEquals(5L, all.contents().get(0).size());

    ListObjectsV2Response top = s3.listObjectsV2(b -> b.bucket("listing").delimiter("/"));
    assertEquals(
        List.of("a.txt", "b-side.txt", "e.txt"),
        top.contents().stream().map(S3Object::key).toList());
    assertEquals(
        List.of("b/", "d/"), top.commonPrefixes().stream().map(CommonPrefix::prefix).toList());

    ListObjectsV2Response underB =
        s3.listObjectsV2(b -> b.bucket("listing").prefix("b/").delimiter("/"));
    assertEquals(
        List.of("b/1.txt", "b/2.txt"), underB.contents().stream().map(S3Object::key).toList());
    assertEquals(
        List.of("b/c/"), underB.commonPrefixes().stream().map(CommonPrefix::prefix).toList());

    List<String> paged = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      String from = token;
      ListObjectsV2Response page =
          s3.listObjectsV2(b -> b.bucket("listing").maxKeys(3).continuationToken(from));
      page.contents().forEach(o -> paged.add(o.key()));
      token = page.isTruncated() ? page.nextContinuationToken() : null;
      pages++;
    } while (token != null);
    assertEquals(3, pages);
    assertEquals(all.contents().stream().map(S3Object::key).toList(), paged);

    ListObjectsV2Response after = s3.listObjectsV2(b -> b.bucket("listing").startAfter("b/2.txt"));
    assertEquals(
        List.of("b/c/3.txt", "d/4.txt", "e.txt"),
        after.contents().stream().map(S3Object::key).toList());
    assertEquals(
        List.of("b/1.txt", "b/2.txt", "b/c/3.txt"),
        s3.listObjects(b -> b.bucket("listing").prefix("b/")).contents().stream()
            .map(S3Object::key)
            .toList());

    for (String key : keys) {
      s3.deleteObject(b -> b.bucket("listing").key(key));
    }
    ListObjectsV2Response empty = s3.listObjectsV2(b -> b.bucket("listing").delimiter("/"));
    assertTrue(empty.contents().isEmpty());
    assertTrue(empty.commonPrefixes().isEmpty());
  }

  /**
   * S3 orders keys by their full text, which a directory walk does not: the directory {@code a}
   * holds {@code a/...}, which sorts after {@code a-b} and {@code a.b/...} ({@code -} and {@code .}
   * are below {@code /}) though its name sorts first. Every listing, paged one and three keys at a
   * time, must give what sorting the keys gives.
   */
  @Test
  void listingsFollowKeyOrderWhereNamesHoldCharactersBelowSlash() {
    s3.createBucket(b -> b.bucket("order"));
    List<String> keys =
        List.of(
            "z",
            "a/b/c",
            "a0",
            "a-b",
            "ab/z",
            "a.b/c!d",
            "a/b!c",
            "a.b/c-d/e",
            "a!x",
            "a.b/c/d",
            "a/b.d",
            "a/b0",
            "a.b/c/d-e");
    for (String key : keys) {
      s3.putObject(b -> b.bucket("order").key(key), RequestBody.fromString(key));
    }
    List<String> sorted = keys.stream().sorted().toList();
    for (String prefix : List.of("", "a", "a.b/", "a.b/c", "a/", "a/b", "q")) {
      for (String delimiter : Arrays.asList(null, "/", "-", "c")) {
        List<String> expected = expectedListing(sorted, prefix, delimiter);
        for (int maxKeys : new int[] {1, 3}) {
          assertEquals(
              expected,
              listAllPages(prefix, delimiter, maxKeys),
              "prefix " + prefix + ", delimiter " + delimiter + ", max-keys " + maxKeys);
        }
      }
    }
    for (String marker : sorted) {
      assertEquals(
          sorted.subList(sorted.indexOf(marker) + 1, sorted.size()),
          s3.listObjectsV2(b -> b.bucket("order").startAfter(marker)).contents().stream()
              .map(S3Object::key)
              .toList(),
          "start-after " + marker);
    }
  }

  /** What S3 lists: the keys under the prefix, rolled up at the delimiter, in key order. */
  private static List<String> expectedListing(
      List<String> sortedKeys, String prefix, String delimiter) {
    List<String> entries = new ArrayList<>();
    for (String key : sortedKeys) {
      if (!key.startsWith(prefix)) {
        continue;
      }
      int at = delimiter == null ? -1 : key.indexOf(delimiter, prefix.length());
      String entry = at < 0 ? key : key.substring(0, at + delimiter.length());
      if (entries.isEmpty() || !entries.get(entries.size() - 1).equals(entry)) {
        entries.add(entry);
      }
    }
    return entries;
  }

  /** Keys and common prefixes of every page of a ListObjectsV2, merged in key order. */
  private static List<String> listAllPages(String prefix, String delimiter, int maxKeys) {
    List<String> entries = new ArrayList<>();
    String token = null;
    do {
      String from = token;
      ListObjectsV2Response page =
          s3.listObjectsV2(
              b ->
                  b.bucket("order")
                      .prefix(prefix)
                      .delimiter(delimiter)
                      .maxKeys(maxKeys)
                      .continuationToken(from));
      List<String> got = new ArrayList<>();
      page.contents().forEach(o -> got.add(o.key()));
      page.commonPrefixes().forEach(p -> got.add(p.prefix()));
      assertTrue(got.size() <= maxKeys, "a page holds at most max-keys");
      got.sort(null);
      entries.addAll(got);
      token = page.isTruncated() ? page.nextContinuationToken() : null;
    } while (token != null);
    return entries;
  }

  @Test
  void bucketsAreEmptiedAsTestSuitesDoWithVersionsAndDeleteObjects() {
    s3.createBucket(b -> b.bucket("emptied"));
    for (String key : List.of("x/1", "x/2", "y")) {
      s3.putObject(b -> b.bucket("emptied").key(key), RequestBody.fromString(key));
    }
    ListObjectVersionsResponse versions = s3.listObjectVersions(b -> b.bucket("emptied"));
    assertEquals(
        List.of("x/1", "x/2", "y"), versions.versions().stream().map(ObjectVersion::key).toList());
    assertTrue(versions.versions().stream().allMatch(v -> "null".equals(v.versionId())));
    DeleteObjectsResponse deleted =
        s3.deleteObjects(
            b ->
                b.bucket("emptied")
                    .delete(
                        d ->
                            d.objects(
                                versions.versions().stream()
                                    .map(
                                        v ->
                                            ObjectIdentifier.builder()
                                                .key(v.key())
                                                .versionId(v.versionId())
                                                .build())
                                    .toList())));
    assertEquals(3, deleted.deleted().size());
    assertTrue(deleted.errors().isEmpty());
    DeleteObjectsResponse quiet =
        s3.deleteObjects(
            b ->
                b.bucket("emptied")
                    .delete(
                        d ->
                            d.quiet(true).objects(ObjectIdentifier.builder().key("gone").build())));
    assertTrue(quiet.deleted().isEmpty());
    assertTrue(s3.listObjectsV2(b -> b.bucket("emptied")).contents().isEmpty());
    s3.deleteBucket(b -> b.bucket("emptied"));
  }

  @Test
  void conditionalGetsAndResponseOverridesFollowTheETagAndTime() {
    s3.createBucket(b -> b.bucket("conditional"));
    String etag =
        s3.putObject(b -> b.bucket("conditional").key("k"), RequestBody.fromString("v1")).eTag();
    assertEquals(
        "v1",
        s3.getObjectAsBytes(b -> b.bucket("conditional").key("k").ifMatch(etag)).asUtf8String());
    S3Exception failed =
        assertThrows(
            S3Exception.class,
            () -> s3.getObjectAsBytes(b -> b.bucket("conditional").key("k").ifMatch("\"nope\"")));
    assertEquals(412, failed.statusCode());
    S3Exception notModified =
        assertThrows(
            S3Exception.class,
            () -> s3.getObjectAsBytes(b -> b.bucket("conditional").key("k").ifNoneMatch(etag)));
    assertEquals(304, notModified.statusCode());
    Instant later = Instant.now().plusSeconds(3600);
    assertEquals(
        304,
        assertThrows(
                S3Exception.class,
                () -> s3.headObject(b -> b.bucket("conditional").key("k").ifModifiedSince(later)))
            .statusCode());
    Instant earlier = Instant.now().minusSeconds(3600);
    assertEquals(
        412,
        assertThrows(
                S3Exception.class,
                () ->
                    s3.getObjectAsBytes(
                        b -> b.bucket("conditional").key("k").ifUnmodifiedSince(earlier)))
            .statusCode());
    GetObjectResponse overridden =
        s3.getObjectAsBytes(
                b ->
                    b.bucket("conditional")
                        .key("k")
                        .responseContentType("text/plain")
                        .responseContentDisposition("attachment; filename=k.txt"))
            .response();
    assertEquals("text/plain", overridden.contentType());
    assertEquals("attachment; filename=k.txt", overridden.contentDisposition());
  }

  @Test
  void copiesKeepOrReplaceMetadataAndNeverTheSourceUnchanged() {
    s3.createBucket(b -> b.bucket("copies"));
    byte[] data = randomBytes(2 << 20, 3);
    String etag =
        s3.putObject(
                b ->
                    b.bucket("copies")
                        .key("src/a")
                        .contentType("image/png")
                        .metadata(Map.of("k", "v")),
                RequestBody.fromBytes(data))
            .eTag();
    CopyObjectResponse kept =
        s3.copyObject(
            b ->
                b.sourceBucket("copies")
                    .sourceKey("src/a")
                    .destinationBucket("copies")
                    .destinationKey("dst/b"));
    assertEquals(etag, kept.copyObjectResult().eTag());
    assertArrayEquals(
        data, s3.getObjectAsBytes(b -> b.bucket("copies").key("dst/b")).asByteArray());
    HeadObjectResponse head = s3.headObject(b -> b.bucket("copies").key("dst/b"));
    assertEquals("image/png", head.contentType());
    assertEquals(Map.of("k", "v"), head.metadata());
    s3.copyObject(
        b ->
            b.sourceBucket("copies")
                .sourceKey("src/a")
                .destinationBucket("copies")
                .destinationKey("src/a")
                .metadataDirective("REPLACE")
                .contentType("text/plain"));
    assertEquals("text/plain", s3.headObject(b -> b.bucket("copies").key("src/a")).contentType());
    // A '?' in the key comes percent-encoded in x-amz-copy-source: it is no version.
    s3.putObject(b -> b.bucket("copies").key("odd?versionId"), RequestBody.fromString("odd"));
    s3.copyObject(
        b ->
            b.sourceBucket("copies")
                .sourceKey("odd?versionId")
                .destinationBucket("copies")
                .destinationKey("odd-copy"));
    assertEquals(
        "odd", s3.getObjectAsBytes(b -> b.bucket("copies").key("odd-copy")).asUtf8String());
    assertThrows(
        NoSuchKeyException.class,
        () ->
            s3.copyObject(
                b ->
                    b.sourceBucket("copies")
                        .sourceKey("missing")
                        .destinationBucket("copies")
                        .destinationKey("x")));
  }

  @Test
  void keysThatCannotBePathsAreRefusedWith400() {
    s3.createBucket(b -> b.bucket("keys"));
    S3Exception doubleSlash =
        assertThrows(
            S3Exception.class,
            () -> s3.putObject(b -> b.bucket("keys").key("a//b"), RequestBody.fromString("x")));
    assertEquals(400, doubleSlash.statusCode());
    assertEquals("InvalidArgument", doubleSlash.awsErrorDetails().errorCode());
    S3Exception tooLong =
        assertThrows(
            S3Exception.class,
            () ->
                s3.putObject(
                    b -> b.bucket("keys").key("k".repeat(1025)), RequestBody.fromString("x")));
    assertEquals("KeyTooLongError", tooLong.awsErrorDetails().errorCode());
  }

  @Test
  void aWrongSecretIsRefusedByTheMasters() {
    try (S3Client forger =
        gateway.clientOf(alice.getAccessKeyId(), "not-the-secret-" + "x".repeat(24)).build()) {
      S3Exception refused = assertThrows(S3Exception.class, forger::listBuckets);
      assertEquals(403, refused.statusCode());
      assertEquals("SignatureDoesNotMatch", refused.awsErrorDetails().errorCode());
    }
    try (S3Client stranger = gateway.clientOf("AKNOBODY0000000000000", "y".repeat(40)).build()) {
      S3Exception refused = assertThrows(S3Exception.class, stranger::listBuckets);
      assertEquals("InvalidAccessKeyId", refused.awsErrorDetails().errorCode());
    }
  }

  @Test
  void whatIsNotBuiltAnswersNotImplementedAtOnce() {
    s3.createBucket(b -> b.bucket("unbuilt"));
    S3Exception tagging =
        assertThrows(S3Exception.class, () -> s3.getBucketTagging(b -> b.bucket("unbuilt")));
    assertEquals(501, tagging.statusCode());
    assertEquals("NotImplemented", tagging.awsErrorDetails().errorCode());
    assertFalse(tagging.awsErrorDetails().errorMessage().isEmpty());
  }

  private static byte[] randomBytes(int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }

  private static String md5Hex(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
  }
}
