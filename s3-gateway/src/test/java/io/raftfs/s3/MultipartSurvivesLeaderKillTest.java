package io.raftfs.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.raftfs.client.FileSystemClient;
import io.raftfs.proto.UserInfo;
import io.raftfs.testing.cluster.MasterGroup;
import io.raftfs.testing.cluster.MiniRaftfsCluster;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The leader master's JVM is SIGKILLed in the middle of a multipart upload: the upload lives in the
 * replicated namespace, so the remaining parts and the Complete go through the new leader (retried
 * as an S3 client retries a 5xx) and the object reads back intact.
 */
// Masters and data nodes start in JVMs of their own: slower than the default 90 s allows.
@Timeout(300)
class MultipartSurvivesLeaderKillTest {
  private static final int MIB = 1 << 20;
  private static final Duration RETRY_FOR = Duration.ofSeconds(90);

  @TempDir Path dir;

  @Test
  void anUploadDuringWhichTheLeaderIsKilledCompletesIntact() throws Exception {
    try (MiniRaftfsCluster cluster =
            MiniRaftfsCluster.builder().separateJvms().dataNodes(2).build().start(dir);
        FileSystemClient root = cluster.newClient()) {
      UserInfo alice = root.addUser("alice", List.of());
      try (GatewayFixture gateway =
              new GatewayFixture(
                  cluster, 2, Map.of("raftfs.s3.multipart.min.part.bytes", Integer.toString(MIB)));
          S3Client s3 = gateway.clientOf(alice)) {
        s3.createBucket(b -> b.bucket("survivor"));
        String id = s3.createMultipartUpload(b -> b.bucket("survivor").key("object")).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        MasterGroup masters = cluster.masters();
        int leader = -1;
        for (int number = 1; number <= 6; number++) {
          if (number == 4) {
            leader = masters.awaitLeader();
            masters.kill(leader);
          }
          byte[] data = new byte[MIB + number];
          new Random(number).nextBytes(data);
          whole.write(data);
          int part = number;
          String etag =
              retrying(
                  () ->
                      s3.uploadPart(
                              b -> b.bucket("survivor").key("object").uploadId(id).partNumber(part),
                              RequestBody.fromBytes(data))
                          .eTag());
          parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        }
        retrying(
            () ->
                s3.completeMultipartUpload(
                    b ->
                        b.bucket("survivor")
                            .key("object")
                            .uploadId(id)
                            .multipartUpload(m -> m.parts(parts))));

        assertNotEquals(leader, masters.awaitLeader());
        assertArrayEquals(
            whole.toByteArray(),
            s3.getObjectAsBytes(b -> b.bucket("survivor").key("object")).asByteArray());
      }
    }
  }

  /**
   * The call, again after a server error or a failed connection until it succeeds or {@link
   * #RETRY_FOR} passed, as S3 clients retry (UploadPart replaces the part; a Complete whose answer
   * was lost is answered again).
   */
  private static <T> T retrying(Supplier<T> call) throws InterruptedException {
    long deadline = System.nanoTime() + RETRY_FOR.toNanos();
    while (true) {
      try {
        return call.get();
      } catch (S3Exception e) {
        if (e.statusCode() < 500 || System.nanoTime() > deadline) {
          throw e;
        }
      } catch (SdkClientException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
      Thread.sleep(200); // a client's back-off between attempts
    }
  }
}
