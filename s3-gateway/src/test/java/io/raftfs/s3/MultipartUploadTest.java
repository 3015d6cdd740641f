package io.raftfs.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.client.FileSystemClient;
import io.raftfs.client.meta.PathNotFoundException;
import io.raftfs.proto.FileStatus;
import io.raftfs.proto.UserInfo;
import io.raftfs.testing.cluster.MiniRaftfsCluster;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Multipart uploads through the AWS SDK for Java v2 against a gateway on a real cluster: parts
 * become one object by a single concat of the masters (no byte copied), with S3's ETag, the
 * metadata given at Create, and S3's error codes; Abort leaves nothing; nobody but the initiator
 * touches an upload; an object over 100 MiB from 21 parallel parts reads back byte for byte.
 */
class MultipartUploadTest {
  private static final int MIB = 1 << 20;

  @TempDir static Path clusterDir;

  private static MiniRaftfsCluster cluster;
  private static GatewayFixture gateway;
  private static FileSystemClient root;
  private static UserInfo alice;
  private static UserInfo bob;
  private static S3Client s3;

  @BeforeAll
  static void start() throws Exception {
    cluster = MiniRaftfsCluster.builder().dataNodes(2).build().start(clusterDir);
    root = cluster.newClient();
    alice = root.addUser("alice", List.of());
    bob = root.addUser("bob", List.of());
    // Parts of 1 MiB keep the tests small; the 100 MiB upload uses S3's 5 MiB parts.
    gateway =
        new GatewayFixture(
            cluster, 2, Map.of("raftfs.s3.multipart.min.part.bytes", Integer.toString(MIB)));
    s3 = gateway.clientOf(alice);
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable closeable : new AutoCloseable[] {s3, gateway, root, cluster}) {
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
  void partsBecomeOneObjectWithTheMultipartETagAndTheMetadataOfCreate() throws Exception {
    s3.createBucket(b -> b.bucket("mpu"));
    String id =
        s3.createMultipartUpload(
                b ->
                    b.bucket("mpu")
                        .key("dir/big.bin")
                        .contentType("application/x-test")
                        .metadata(Map.of("colour", "blue")))
            .uploadId();
    byte[] one = randomBytes(MIB + 7, 1);
    byte[] two = randomBytes(MIB, 2);
    byte[] three = randomBytes(10, 3);
    String etag1 = uploadPart("mpu", "dir/big.bin", id, 1, one);
    uploadPart("mpu", "dir/big.bin", id, 2, randomBytes(MIB, 99)); // replaced below
    String etag2 = uploadPart("mpu", "dir/big.bin", id, 2, two);
    String etag3 = uploadPart("mpu", "dir/big.bin", id, 3, three);
    assertEquals('"' + md5Hex(two) + '"', etag2);

    ListPartsResponse listed = s3.listParts(b -> b.bucket("mpu").key("dir/big.bin").uploadId(id));
    assertEquals(List.of(1, 2, 3), listed.parts().stream().map(Part::partNumber).toList());
    assertEquals(
        List.of((long) one.length, (long) two.length, (long) three.length),
        listed.parts().stream().map(Part::size).toList());
    assertEquals(List.of(etag1, etag2, etag3), listed.parts().stream().map(Part::eTag).toList());
    ListPartsResponse paged =
        s3.listParts(
            b -> b.bucket("mpu").key("dir/big.bin").uploadId(id).maxParts(1).partNumberMarker(1));
    assertEquals(List.of(2), paged.parts().stream().map(Part::partNumber).toList());
    assertTrue(paged.isTruncated());
    assertEquals(2, paged.nextPartNumberMarker());
    assertEquals(
        List.of("dir/big.bin"),
        s3.listMultipartUploads(b -> b.bucket("mpu")).uploads().stream()
            .map(MultipartUpload::key)
            .toList());

    CompleteMultipartUploadResponse done =
        complete("mpu", "dir/big.bin", id, List.of(etag1, etag2, etag3));

    String expected = '"' + md5OfMd5s(one, two, three) + "-3\"";
    assertEquals(expected, done.eTag());
    HeadObjectResponse head = s3.headObject(b -> b.bucket("mpu").key("dir/big.bin"));
    assertEquals(expected, head.eTag());
    assertEquals("application/x-test", head.contentType());
    assertEquals(Map.of("colour", "blue"), head.metadata());
    byte[] whole = concat(one, two, three);
    assertEquals(whole.length, head.contentLength());
    assertArrayEquals(
        whole, s3.getObjectAsBytes(b -> b.bucket("mpu").key("dir/big.bin")).asByteArray());
    // A range across both boundaries between parts of different lengths.
    int from = one.length - 5;
    int to = one.length + two.length + 4;
    assertArrayEquals(
        Arrays.copyOfRange(whole, from, to + 1),
        s3.getObjectAsBytes(
                b -> b.bucket("mpu").key("dir/big.bin").range("bytes=" + from + "-" + to))
            .asByteArray());
    // Nothing of the upload is left: no directory, no marker, no parts.
    assertTrue(s3.listMultipartUploads(b -> b.bucket("mpu")).uploads().isEmpty());
    assertTrue(root.list("/.s3-uploads/mpu").isEmpty());
    assertFalse(
        s3.listBuckets().buckets().stream().map(Bucket::name).anyMatch(n -> n.startsWith(".")));
    // A retried Complete whose answer was lost is answered again.
    assertEquals(expected, complete("mpu", "dir/big.bin", id, List.of(etag1, etag2, etag3)).eTag());
  }

  @Test
  void badPartListsAreRefusedWithS3sCodesAndAbortLeavesNothing() throws Exception {
    s3.createBucket(b -> b.bucket("mpu-errors"));
    long blocksBefore = root.clusterStatus().getBlocks();
    String id = s3.createMultipartUpload(b -> b.bucket("mpu-errors").key("k")).uploadId();
    String small = uploadPart("mpu-errors", "k", id, 1, randomBytes(1000, 4));
    String big = uploadPart("mpu-errors", "k", id, 2, randomBytes(MIB, 5));
    String last = uploadPart("mpu-errors", "k", id, 3, randomBytes(1000, 6));

    assertEquals(
        "InvalidPart", code(() -> complete("mpu-errors", "k", id, List.of(big, big), 2, 4)));
    assertEquals(
        "InvalidPart",
        code(
            () -> complete("mpu-errors", "k", id, List.of(big, '"' + "0".repeat(32) + '"'), 2, 3)));
    assertEquals(
        "InvalidPartOrder", code(() -> complete("mpu-errors", "k", id, List.of(last, big), 3, 2)));
    assertEquals(
        "EntityTooSmall",
        code(() -> complete("mpu-errors", "k", id, List.of(small, big, last), 1, 2, 3)));
    assertThrows(
        NoSuchUploadException.class,
        () -> s3.listParts(b -> b.bucket("mpu-errors").key("k").uploadId("nope")));
    assertThrows(
        NoSuchUploadException.class,
        () -> s3.listParts(b -> b.bucket("mpu-errors").key("other-key").uploadId(id)));
    S3Exception badNumber =
        assertThrows(
            S3Exception.class,
            () ->
                s3.uploadPart(
                    b -> b.bucket("mpu-errors").key("k").uploadId(id).partNumber(10_001),
                    RequestBody.fromString("x")));
    assertEquals(400, badNumber.statusCode());
    assertEquals(3, s3.listParts(b -> b.bucket("mpu-errors").key("k").uploadId(id)).parts().size());

    s3.abortMultipartUpload(b -> b.bucket("mpu-errors").key("k").uploadId(id));

    assertTrue(root.list("/.s3-uploads/mpu-errors").isEmpty());
    assertEquals(blocksBefore, root.clusterStatus().getBlocks(), "no block is referenced");
    assertThrows(PathNotFoundException.class, () -> root.stat("/mpu-errors/k"));
    assertThrows(
        NoSuchUploadException.class,
        () -> uploadPart("mpu-errors", "k", id, 4, randomBytes(10, 7)));
    assertThrows(
        NoSuchUploadException.class,
        () -> s3.abortMultipartUpload(b -> b.bucket("mpu-errors").key("k").uploadId(id)));
    assertThrows(
        NoSuchUploadException.class, () -> complete("mpu-errors", "k", id, List.of(big), 2));
  }

  @Test
  void uploadPartCopyStreamsARangeOfAnObjectIntoAPart() throws Exception {
    s3.createBucket(b -> b.bucket("mpu-copy"));
    byte[] source = randomBytes(3 * MIB, 8);
    s3.putObject(b -> b.bucket("mpu-copy").key("src"), RequestBody.fromBytes(source));
    String id = s3.createMultipartUpload(b -> b.bucket("mpu-copy").key("dst")).uploadId();
    String copied =
        s3.uploadPartCopy(
                b ->
                    b.sourceBucket("mpu-copy")
                        .sourceKey("src")
                        .destinationBucket("mpu-copy")
                        .destinationKey("dst")
                        .uploadId(id)
                        .partNumber(1)
                        .copySourceRange("bytes=" + MIB + "-" + (MIB + MIB + MIB / 2 - 1)))
            .copyPartResult()
            .eTag();
    byte[] tail = randomBytes(100, 9);
    String etag2 = uploadPart("mpu-copy", "dst", id, 2, tail);
    byte[] range = Arrays.copyOfRange(source, MIB, MIB + MIB + MIB / 2);
    assertEquals('"' + md5Hex(range) + '"', copied);

    complete("mpu-copy", "dst", id, List.of(copied, etag2));

    assertArrayEquals(
        concat(range, tail),
        s3.getObjectAsBytes(b -> b.bucket("mpu-copy").key("dst")).asByteArray());
    S3Exception outside =
        assertThrows(
            S3Exception.class,
            () -> {
              String next = s3.createMultipartUpload(b -> b.bucket("mpu-copy").key("x")).uploadId();
              s3.uploadPartCopy(
                  b ->
                      b.sourceBucket("mpu-copy")
                          .sourceKey("src")
                          .destinationBucket("mpu-copy")
                          .destinationKey("x")
                          .uploadId(next)
                          .partNumber(1)
                          .copySourceRange("bytes=0-" + source.length));
            });
    assertEquals(416, outside.statusCode());
    assertEquals("InvalidRange", outside.awsErrorDetails().errorCode());
  }

  @Test
  void onlyTheInitiatorTouchesAnUploadAndOnlyWritersStartOne() throws Exception {
    s3.createBucket(b -> b.bucket("mpu-private"));
    String id = s3.createMultipartUpload(b -> b.bucket("mpu-private").key("k")).uploadId();
    String etag = uploadPart("mpu-private", "k", id, 1, randomBytes(100, 10));
    try (S3Client other = gateway.clientOf(bob)) {
      for (Runnable attempt :
          List.<Runnable>of(
              () ->
                  other.uploadPart(
                      b -> b.bucket("mpu-private").key("k").uploadId(id).partNumber(2),
                      RequestBody.fromString("bob's")),
              () ->
                  other.completeMultipartUpload(
                      b ->
                          b.bucket("mpu-private")
                              .key("k")
                              .uploadId(id)
                              .multipartUpload(
                                  m ->
                                      m.parts(
                                          CompletedPart.builder()
                                              .partNumber(1)
                                              .eTag(etag)
                                              .build()))),
              () -> other.listParts(b -> b.bucket("mpu-private").key("k").uploadId(id)),
              () -> other.abortMultipartUpload(b -> b.bucket("mpu-private").key("k").uploadId(id)),
              // Alice's bucket is hers, 0755: bob may not write into it.
              () -> other.createMultipartUpload(b -> b.bucket("mpu-private").key("bobs")))) {
        S3Exception denied = assertThrows(S3Exception.class, attempt::run);
        assertEquals(403, denied.statusCode());
        assertEquals("AccessDenied", denied.awsErrorDetails().errorCode());
      }
    }
    assertEquals(
        1, s3.listParts(b -> b.bucket("mpu-private").key("k").uploadId(id)).parts().size());
    complete("mpu-private", "k", id, List.of(etag));
    FileStatus object = root.stat("/mpu-private/k");
    assertEquals("alice", object.getOwner());
  }

  @Test
  void uploadsAreListedByKeyWithPrefixesDelimitersAndPages() {
    s3.createBucket(b -> b.bucket("mpu-list"));
    List<String> keys = List.of("a/1", "a/2", "b", "c/d/e");
    for (String key : keys) {
      s3.createMultipartUpload(b -> b.bucket("mpu-list").key(key));
    }
    ListMultipartUploadsResponse top =
        s3.listMultipartUploads(b -> b.bucket("mpu-list").delimiter("/"));
    assertEquals(List.of("b"), top.uploads().stream().map(MultipartUpload::key).toList());
    assertEquals(List.of("a/", "c/"), top.commonPrefixes().stream().map(p -> p.prefix()).toList());
    assertEquals(
        List.of("a/1", "a/2"),
        s3.listMultipartUploads(b -> b.bucket("mpu-list").prefix("a/")).uploads().stream()
            .map(MultipartUpload::key)
            .toList());
    List<String> paged = new ArrayList<>();
    String keyMarker = null;
    String idMarker = null;
    int pages = 0;
    while (true) {
      String key = keyMarker;
      String upload = idMarker;
      ListMultipartUploadsResponse page =
          s3.listMultipartUploads(
              b -> b.bucket("mpu-list").maxUploads(3).keyMarker(key).uploadIdMarker(upload));
      page.uploads().forEach(u -> paged.add(u.key()));
      pages++;
      if (!page.isTruncated()) {
        break;
      }
      keyMarker = page.nextKeyMarker();
      idMarker = page.nextUploadIdMarker();
    }
    assertEquals(keys, paged);
    assertEquals(2, pages);
  }

  @Test
  @Timeout(240) // 105 MiB twice over, on a loaded machine
  void anObjectOver100MiBFrom21PartsInParallelReadsBackByteForByte() throws Exception {
    s3.createBucket(b -> b.bucket("mpu-large"));
    int parts = 21;
    int partSize = 5 * MIB;
    String id = s3.createMultipartUpload(b -> b.bucket("mpu-large").key("large")).uploadId();
    ExecutorService uploaders = Executors.newFixedThreadPool(4);
    List<String> etags = new ArrayList<>();
    try {
      List<Future<String>> uploads = new ArrayList<>();
      for (int part = 1; part <= parts; part++) {
        int number = part;
        uploads.add(
            uploaders.submit(
                () ->
                    uploadPart(
                        "mpu-large", "large", id, number, randomBytes(partSize, 100 + number))));
      }
      for (Future<String> upload : uploads) {
        etags.add(upload.get());
      }
    } finally {
      uploaders.shutdownNow();
    }
    complete("mpu-large", "large", id, etags);

    MessageDigest expected = MessageDigest.getInstance("SHA-256");
    for (int part = 1; part <= parts; part++) {
      expected.update(randomBytes(partSize, 100 + part));
    }
    MessageDigest got = MessageDigest.getInstance("SHA-256");
    long length = 0;
    try (ResponseInputStream<GetObjectResponse> in =
        s3.getObject(b -> b.bucket("mpu-large").key("large"))) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        got.update(buffer, 0, n);
        length += n;
      }
    }
    assertEquals((long) parts * partSize, length);
    assertArrayEquals(expected.digest(), got.digest());
    // Ranges across boundaries between parts: the end of part 4 and the start of part 5, and a
    // range over all of part 10 and into its neighbours.
    for (long[] range :
        new long[][] {
          {4L * partSize - 3, 4L * partSize + 2}, {9L * partSize - 1, 10L * partSize}
        }) {
      byte[] bytes =
          s3.getObjectAsBytes(
                  b ->
                      b.bucket("mpu-large")
                          .key("large")
                          .range("bytes=" + range[0] + "-" + range[1]))
              .asByteArray();
      assertArrayEquals(expectedRange(range[0], range[1], partSize), bytes);
    }
  }

  /** Bytes {@code first..last} of the large object, from its parts' seeds. */
  private static byte[] expectedRange(long first, long last, int partSize) {
    byte[] out = new byte[(int) (last - first + 1)];
    for (long at = first; at <= last; ) {
      int part = (int) (at / partSize) + 1;
      byte[] data = randomBytes(partSize, 100 + part);
      int from = (int) (at % partSize);
      int n = (int) Math.min(partSize - from, last - at + 1);
      System.arraycopy(data, from, out, (int) (at - first), n);
      at += n;
    }
    return out;
  }

  private static String uploadPart(String bucket, String key, String id, int number, byte[] data) {
    return s3.uploadPart(
            b -> b.bucket(bucket).key(key).uploadId(id).partNumber(number),
            RequestBody.fromBytes(data))
        .eTag();
  }

  /** Completes with parts 1..n and these ETags. */
  private static CompleteMultipartUploadResponse complete(
      String bucket, String key, String id, List<String> etags) {
    int[] numbers = new int[etags.size()];
    for (int i = 0; i < numbers.length; i++) {
      numbers[i] = i + 1;
    }
    return complete(bucket, key, id, etags, numbers);
  }

  private static CompleteMultipartUploadResponse complete(
      String bucket, String key, String id, List<String> etags, int... numbers) {
    List<CompletedPart> parts = new ArrayList<>();
    for (int i = 0; i < numbers.length; i++) {
      parts.add(CompletedPart.builder().partNumber(numbers[i]).eTag(etags.get(i)).build());
    }
    return s3.completeMultipartUpload(
        b -> b.bucket(bucket).key(key).uploadId(id).multipartUpload(m -> m.parts(parts)));
  }

  private static String code(Runnable call) {
    S3Exception refused = assertThrows(S3Exception.class, call::run);
    assertEquals(400, refused.statusCode(), refused.getMessage());
    return refused.awsErrorDetails().errorCode();
  }

  private static byte[] randomBytes(int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] all = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, all, at, part.length);
      at += part.length;
    }
    return all;
  }

  private static String md5Hex(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
  }

  private static String md5OfMd5s(byte[]... parts) throws Exception {
    MessageDigest md5s = MessageDigest.getInstance("MD5");
    for (byte[] part : parts) {
      md5s.update(MessageDigest.getInstance("MD5").digest(part));
    }
    return HexFormat.of().formatHex(md5s.digest());
  }
}
