package io.raftfs.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.auth.AccessKey;
import io.raftfs.client.FileSystemClient;
import io.raftfs.client.config.ClientConfig;
import io.raftfs.client.meta.EndUserProofRefusedException;
import io.raftfs.client.meta.InvalidArgumentException;
import io.raftfs.client.meta.MetaClient;
import io.raftfs.client.meta.PermissionDeniedException;
import io.raftfs.proto.EndUserProof;
import io.raftfs.proto.UserInfo;
import io.raftfs.testing.cluster.MiniRaftfsCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The masters' side of S3 authentication ({@code MetaRequest.end_user}): a superuser's exchange
 * carrying a user's valid proof runs as that user; a forged, stale or unknown-key proof, or a valid
 * one carried by an ordinary user's exchange, is refused and nothing runs; {@code signing_key}
 * answers the derived key of a valid proof only.
 */
class EndUserProofTest {
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  @TempDir static Path clusterDir;

  private static MiniRaftfsCluster cluster;
  private static MetaClient gateway;
  private static UserInfo bob;

  @BeforeAll
  static void start() {
    cluster = MiniRaftfsCluster.builder().build().start(clusterDir);
    gateway = cluster.newMetaClient();
    bob = gateway.addUser("bob", List.of());
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aValidProofRunsTheCallAsItsUser() {
    gateway.mkdir("/bobs", false);
    gateway.setOwner("/bobs", "bob", "bob");
    try (MetaClient.EndUserScope scope =
        gateway.actingFor(proof(bob.getSecretKey(), Instant.now()))) {
      gateway.mkdir("/bobs/mine", false);
      // bob is no superuser: as bob, the gateway's own superuser rights are gone.
      assertThrows(PermissionDeniedException.class, () -> gateway.addUser("mallory", List.of()));
    }
    assertEquals("bob", gateway.stat("/bobs/mine").getOwner());
  }

  @Test
  void aForgedProofIsRefused() {
    EndUserProof forged = proof("not-bobs-secret-at-all-000000000000", Instant.now());
    try (MetaClient.EndUserScope scope = gateway.actingFor(forged)) {
      EndUserProofRefusedException e =
          assertThrows(EndUserProofRefusedException.class, () -> gateway.mkdir("/forged", false));
      assertTrue(e.getMessage().contains("signature does not match"), e.getMessage());
    }
    EndUserProof tampered =
        proof(bob.getSecretKey(), Instant.now()).toBuilder()
            .setStringToSign(
                proof(bob.getSecretKey(), Instant.now())
                    .getStringToSign()
                    .replace("us-east-1", "eu-west-1"))
            .build();
    try (MetaClient.EndUserScope scope = gateway.actingFor(tampered)) {
      assertThrows(EndUserProofRefusedException.class, () -> gateway.mkdir("/forged", false));
    }
    assertThrows(io.raftfs.client.meta.PathNotFoundException.class, () -> gateway.stat("/forged"));
  }

  @Test
  void aReplayedProofOutsideTheClockSkewIsRefused() {
    EndUserProof old = proof(bob.getSecretKey(), Instant.now().minus(1, ChronoUnit.HOURS));
    try (MetaClient.EndUserScope scope = gateway.actingFor(old)) {
      EndUserProofRefusedException e =
          assertThrows(EndUserProofRefusedException.class, () -> gateway.mkdir("/replayed", false));
      assertTrue(e.getMessage().contains("from this clock"), e.getMessage());
    }
  }

  @Test
  void theSigningKeyIsDerivedForAValidProofOnly() {
    Instant now = Instant.now();
    try (MetaClient.EndUserScope scope = gateway.actingFor(proof(bob.getSecretKey(), now))) {
      assertArrayEquals(
          signingKey(bob.getSecretKey(), TIMESTAMP.format(now)), gateway.signingKey());
    }
    EndUserProof forged = proof("not-bobs-secret-at-all-000000000000", now);
    try (MetaClient.EndUserScope scope = gateway.actingFor(forged)) {
      assertThrows(EndUserProofRefusedException.class, gateway::signingKey);
    }
    // Without a proof there is no user whose key to derive: the gateway's own never leaves.
    assertThrows(InvalidArgumentException.class, gateway::signingKey);
  }

  @Test
  void onlyASuperusersExchangeMayCarryAProof() {
    UserInfo carol = gateway.addUser("carol", List.of());
    AccessKey carolsKey = new AccessKey(carol.getAccessKeyId(), carol.getSecretKey());
    try (FileSystemClient asCarol =
            new FileSystemClient(
                cluster.masterAddresses(),
                cluster.clientConfig().toBuilder().credentials(carolsKey).build());
        MetaClient carolsMeta =
            new MetaClient(
                cluster.masterAddresses(),
                ClientConfig.builder().credentials(carolsKey).build().metaOptions(),
                carolsKey,
                cluster.masters().clientTls())) {
      try (MetaClient.EndUserScope scope =
          carolsMeta.actingFor(proof(bob.getSecretKey(), Instant.now()))) {
        EndUserProofRefusedException e =
            assertThrows(
                EndUserProofRefusedException.class, () -> carolsMeta.mkdir("/carol-as-bob", false));
        assertTrue(e.getMessage().contains("superuser"), e.getMessage());
        assertThrows(EndUserProofRefusedException.class, carolsMeta::signingKey);
      }
      assertEquals(
          0, asCarol.list("/").stream().filter(s -> s.getPath().equals("/carol-as-bob")).count());
    }
  }

  /**
   * What an S3 client would sign (the request's hash is arbitrary here: the masters never see it).
   */
  private static EndUserProof proof(String secret, Instant at) {
    String timestamp = TIMESTAMP.format(at);
    String date = timestamp.substring(0, 8);
    String stringToSign =
        "AWS4-HMAC-SHA256\n"
            + timestamp
            + "\n"
            + date
            + "/us-east-1/s3/aws4_request\n"
            + sha256Hex("GET\n/\n\nhost:s3\n\nhost\nUNSIGNED-PAYLOAD");
    byte[] key = signingKey(secret, timestamp);
    return EndUserProof.newBuilder()
        .setAccessKeyId(bob.getAccessKeyId())
        .setStringToSign(stringToSign)
        .setSignature(HexFormat.of().formatHex(hmac(key, stringToSign)))
        .build();
  }

  /** SigV4's derived key for us-east-1/s3 on the timestamp's day, computed independently. */
  private static byte[] signingKey(String secret, String timestamp) {
    byte[] key =
        hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), timestamp.substring(0, 8));
    key = hmac(key, "us-east-1");
    key = hmac(key, "s3");
    return hmac(key, "aws4_request");
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sha256Hex(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
