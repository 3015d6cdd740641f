package io.raftfs.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.auth.ChunkSignatureChain;
import io.raftfs.auth.S3StringToSign;
import io.raftfs.auth.SigningScope;
import io.raftfs.client.FileSystemClient;
import io.raftfs.proto.UserInfo;
import io.raftfs.testing.cluster.MiniRaftfsCluster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.auth.scheme.S3AuthSchemeProvider;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The gateway's authentication and transport beyond the Authorization header, against a real
 * cluster: presigned URLs made by the AWS SDK's {@link S3Presigner} (GET, PUT, HEAD) and by hand,
 * whose validity the masters take from the URL itself; aws-chunked uploads whose chunk signatures
 * the gateway checks with the signing key the masters derive, so one altered chunk stores nothing;
 * TLS on the S3 port, and plain HTTP only when it is switched off; IAM and STS calls refused at
 * once; and the metrics on {@code /_raftfs/metrics}.
 */
class S3AuthTest {
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final String BUCKET = "signed";

  @TempDir static Path clusterDir;

  private static MiniRaftfsCluster cluster;
  private static GatewayFixture gateway;
  private static UserInfo alice;
  private static S3Client s3;
  private static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    cluster = MiniRaftfsCluster.builder().dataNodes(2).build().start(clusterDir);
    try (FileSystemClient root = cluster.newClient()) {
      alice = root.addUser("alice", List.of());
    }
    gateway = new GatewayFixture(cluster, 2);
    s3 = gateway.clientOf(alice);
    s3.createBucket(b -> b.bucket(BUCKET));
    http = gateway.httpClient();
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
  void presignedUrlsOfTheSdkGetPutAndHead() throws Exception {
    try (S3Presigner presigner = presigner(alice.getSecretKey())) {
      URI put =
          presigner
              .presignPutObject(
                  b ->
                      b.signatureDuration(Duration.ofMinutes(5))
                          .putObjectRequest(o -> o.bucket(BUCKET).key("shared/up.txt")))
              .url()
              .toURI();
      byte[] data = "uploaded through a presigned URL".getBytes(StandardCharsets.UTF_8);
      HttpResponse<String> stored = send(HttpRequest.newBuilder(put).PUT(bytes(data)));
      assertEquals(200, stored.statusCode(), stored.body());
      assertArrayEquals(
          data, s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("shared/up.txt")).asByteArray());

      URI get =
          presigner
              .presignGetObject(
                  b ->
                      b.signatureDuration(Duration.ofMinutes(5))
                          .getObjectRequest(o -> o.bucket(BUCKET).key("shared/up.txt")))
              .url()
              .toURI();
      HttpResponse<byte[]> got =
          http.send(
              HttpRequest.newBuilder(get).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, got.statusCode());
      assertArrayEquals(data, got.body());

      URI head =
          presigner
              .presignHeadObject(
                  b ->
                      b.signatureDuration(Duration.ofMinutes(5))
                          .headObjectRequest(o -> o.bucket(BUCKET).key("shared/up.txt")))
              .url()
              .toURI();
      HttpResponse<String> headed =
          send(HttpRequest.newBuilder(head).method("HEAD", HttpRequest.BodyPublishers.noBody()));
      assertEquals(200, headed.statusCode());
      assertEquals(
          Long.toString(data.length), headed.headers().firstValue("Content-Length").orElseThrow());
    }
  }

  @Test
  void aTamperedWrongKeyOrOtherObjectsUrlIsRefused() throws Exception {
    s3.putObject(b -> b.bucket(BUCKET).key("mine.txt"), RequestBody.fromString("mine"));
    s3.putObject(b -> b.bucket(BUCKET).key("other.txt"), RequestBody.fromString("other"));
    String url;
    try (S3Presigner presigner = presigner(alice.getSecretKey())) {
      url = presignedGet(presigner, "mine.txt");
    }
    assertEquals(200, get(url).statusCode());

    String otherKey = url.replace("/mine.txt?", "/other.txt?");
    assertRefused(get(otherKey), 403, "SignatureDoesNotMatch");

    String longer = url.replaceFirst("X-Amz-Expires=\\d+", "X-Amz-Expires=604800");
    assertRefused(get(longer), 403, "SignatureDoesNotMatch");

    int signature = url.indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length();
    char first = url.charAt(signature);
    String forged =
        url.substring(0, signature) + (first == '0' ? '1' : '0') + url.substring(signature + 1);
    assertRefused(get(forged), 403, "SignatureDoesNotMatch");

    try (S3Presigner wrong = presigner("not-alices-secret-" + "z".repeat(22))) {
      assertRefused(get(presignedGet(wrong, "mine.txt")), 403, "SignatureDoesNotMatch");
    }
  }

  @Test
  void theUrlsOwnWindowDecidesNotTheClockSkew() throws Exception {
    s3.putObject(b -> b.bucket(BUCKET).key("window.txt"), RequestBody.fromString("window"));
    // Signed 10 minutes ago, twice the masters' clock skew, and valid for an hour: still good.
    Instant tenMinutesAgo = Instant.now().minus(Duration.ofMinutes(10));
    HttpResponse<String> valid = get(handPresigned("window.txt", tenMinutesAgo, 3600));
    assertEquals(200, valid.statusCode(), valid.body());
    assertEquals("window", valid.body());

    // Signed 2 minutes ago for 60 s: expired, though well within the clock skew.
    HttpResponse<String> expired =
        get(handPresigned("window.txt", Instant.now().minus(Duration.ofMinutes(2)), 60));
    assertRefused(expired, 403, "AccessDenied");
    assertTrue(expired.body().contains("Request has expired"), expired.body());
    // A negative validity (boto3's for a negative ExpiresIn) has expired too.
    HttpResponse<String> negative = get(handPresigned("window.txt", Instant.now(), -1000));
    assertRefused(negative, 403, "AccessDenied");
    assertTrue(negative.body().contains("Request has expired"), negative.body());

    assertRefused(
        get(handPresigned("window.txt", Instant.now(), 604_801)),
        400,
        "AuthorizationQueryParametersError");
  }

  @Test
  void signedChunksAreCheckedAndOneAlteredChunkStoresNothing() throws Exception {
    byte[] first = "the first chunk, ".getBytes(StandardCharsets.UTF_8);
    byte[] second = "and the second".getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> good = putChunked("chunks/good.txt", first, second, -1);
    assertEquals(200, good.statusCode(), good.body());
    assertEquals(
        "the first chunk, and the second",
        s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("chunks/good.txt")).asUtf8String());

    for (int altered = 0; altered < 3; altered++) {
      String key = "chunks/bad-" + altered + ".txt";
      assertRefused(putChunked(key, first, second, altered), 403, "SignatureDoesNotMatch");
      assertThrows(NoSuchKeyException.class, () -> s3.headObject(b -> b.bucket(BUCKET).key(key)));
    }
  }

  @Test
  void theSdksSignedChunkedUploadsPass() {
    // Over TLS the SDK leaves chunks unsigned unless payload signing is asked for.
    try (S3Client chunked =
        gateway
            .clientOf(alice.getAccessKeyId(), alice.getSecretKey())
            .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(true).build())
            .authSchemeProvider(
                params ->
                    S3AuthSchemeProvider.defaultProvider().resolveAuthScheme(params).stream()
                        .map(
                            option ->
                                option.toBuilder()
                                    .putSignerProperty(
                                        AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, true)
                                    .build())
                        .toList())
            .build()) {
      byte[] data = bytes(300_000);
      chunked.putObject(b -> b.bucket(BUCKET).key("sdk/chunked.bin"), RequestBody.fromBytes(data));
      assertArrayEquals(
          data, s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("sdk/chunked.bin")).asByteArray());
    }
  }

  @Test
  void theS3PortSpeaksTlsWithTheClustersCaAndRefusesPlainHttp() throws Exception {
    assertEquals("https", gateway.endpoint().getScheme());
    HttpResponse<String> anonymous = send(HttpRequest.newBuilder(gateway.endpoint()).GET());
    assertRefused(anonymous, 403, "AccessDenied");
    HttpRequest plain =
        HttpRequest.newBuilder(gateway.plaintextEndpoint()).timeout(Duration.ofSeconds(30)).build();
    assertThrows(IOException.class, () -> http.send(plain, HttpResponse.BodyHandlers.ofString()));
  }

  @Test
  void withTlsOffTheGatewayServesPlainHttp() throws Exception {
    try (GatewayFixture plain = new GatewayFixture(cluster, 2, false);
        S3Client client = plain.clientOf(alice)) {
      assertEquals("http", plain.endpoint().getScheme());
      // Over plain HTTP the SDK signs every chunk by default (and the CRC32 trailer): checked.
      byte[] data = bytes(300_000);
      client.putObject(b -> b.bucket(BUCKET).key("plain.bin"), RequestBody.fromBytes(data));
      assertArrayEquals(
          data, client.getObjectAsBytes(b -> b.bucket(BUCKET).key("plain.bin")).asByteArray());
    }
  }

  @Test
  void iamAndStsCallsGetAFast400() throws Exception {
    String[][] calls = {
      {"iam", "Action=CreateUser&Version=2010-05-08&UserName=tenant"},
      {"sts", "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fr"},
      {"sts", "Action=GetCallerIdentity&Version=2011-06-15"},
    };
    for (String[] call : calls) {
      String action = call[1].substring("Action=".length(), call[1].indexOf('&'));
      HttpResponse<String> refused =
          send(
              HttpRequest.newBuilder(gateway.endpoint())
                  .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                  .header(
                      "Authorization",
                      "AWS4-HMAC-SHA256 Credential="
                          + alice.getAccessKeyId()
                          + "/20261208/us-east-1/"
                          + call[0]
                          + "/aws4_request, SignedHeaders=host, Signature="
                          + "0".repeat(64))
                  .POST(HttpRequest.BodyPublishers.ofString(call[1])));
      assertRefused(refused, 400, "InvalidAction");
      assertTrue(refused.body().contains(action), refused.body());
    }
    // Unsigned, and with a body far larger than the gateway reads to name the action.
    byte[] large = new byte[4 << 20];
    byte[] form = "Action=CreateUser&UserName=".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(form, 0, large, 0, form.length);
    HttpResponse<String> big =
        send(
            HttpRequest.newBuilder(gateway.endpoint())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(bytes(large)));
    assertRefused(big, 400, "InvalidAction");
  }

  @Test
  void metricsAreServedWithoutCredentialsOnAPathNoBucketCanHave() throws Exception {
    byte[] data = new byte[12_345];
    s3.putObject(b -> b.bucket(BUCKET).key("metered.bin"), RequestBody.fromBytes(data));
    s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("metered.bin"));
    URI metrics = gateway.endpoint().resolve("/_raftfs/metrics");
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    String text;
    do {
      HttpResponse<String> scraped = send(HttpRequest.newBuilder(metrics).GET());
      assertEquals(200, scraped.statusCode());
      text = scraped.body();
    } while (!text.contains("op=\"GetObject\"") && System.nanoTime() < deadline);
    assertTrue(text.contains("raftfs_s3_requests_total{op=\"PutObject\",status=\"200\"}"), text);
    assertTrue(text.contains("raftfs_s3_request_seconds_count{op=\"GetObject\"}"), text);
    assertTrue(text.contains("raftfs_s3_bytes_in_bytes_total{op=\"PutObject\"}"), text);
    assertTrue(text.contains("raftfs_s3_bytes_out_bytes_total{op=\"GetObject\"}"), text);
    assertTrue(text.contains("jvm_memory_used_bytes"), text);
    assertEquals(
        405,
        send(HttpRequest.newBuilder(metrics).DELETE()).statusCode(),
        "only GET of the metrics");
  }

  private static S3Presigner presigner(String secret) {
    return S3Presigner.builder()
        .endpointOverride(gateway.endpoint())
        .region(Region.US_EAST_1)
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(alice.getAccessKeyId(), secret)))
        .build();
  }

  private static String presignedGet(S3Presigner presigner, String key) {
    return presigner
        .presignGetObject(
            b ->
                b.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(o -> o.bucket(BUCKET).key(key)))
        .url()
        .toString();
  }

  /** A presigned GET built with raftfs' own SigV4 helpers, dated {@code signedAt}. */
  private static String handPresigned(String key, Instant signedAt, long expires) {
    String timestamp = TIMESTAMP.format(signedAt);
    String date = timestamp.substring(0, 8);
    String scope = date + "/us-east-1/s3/aws4_request";
    String query =
        "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="
            + URLEncoder.encode(alice.getAccessKeyId() + '/' + scope, StandardCharsets.UTF_8)
            + "&X-Amz-Date="
            + timestamp
            + "&X-Amz-Expires="
            + expires
            + "&X-Amz-SignedHeaders=host";
    String path = "/" + BUCKET + "/" + key;
    TreeMap<String, String> signed = new TreeMap<>();
    signed.put("host", gateway.endpoint().getAuthority());
    String canonical =
        S3StringToSign.canonicalRequest("GET", path, query, signed, "UNSIGNED-PAYLOAD");
    String signature =
        S3StringToSign.sign(
            new SigningScope("us-east-1", "s3").signingKey(alice.getSecretKey(), date),
            S3StringToSign.of(timestamp, scope, canonical));
    return gateway.endpoint() + path + "?" + query + "&X-Amz-Signature=" + signature;
  }

  /**
   * PUT of {@code first} and {@code second} as signed aws-chunked data, signed by hand; chunk
   * {@code altered} (0, 1, or 2 for the empty last one) carries a wrong signature.
   */
  private static HttpResponse<String> putChunked(
      String key, byte[] first, byte[] second, int altered) throws Exception {
    Instant now = Instant.now();
    String timestamp = TIMESTAMP.format(now);
    String date = timestamp.substring(0, 8);
    String scope = date + "/us-east-1/s3/aws4_request";
    String payload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
    long decoded = first.length + second.length;
    String path = "/" + BUCKET + "/" + key;
    TreeMap<String, String> signed = new TreeMap<>();
    signed.put("host", gateway.endpoint().getAuthority());
    signed.put("x-amz-content-sha256", payload);
    signed.put("x-amz-date", timestamp);
    signed.put("x-amz-decoded-content-length", Long.toString(decoded));
    byte[] signingKey = new SigningScope("us-east-1", "s3").signingKey(alice.getSecretKey(), date);
    String seed =
        S3StringToSign.sign(
            signingKey, S3StringToSign.of("PUT", path, "", signed, payload, timestamp, scope));
    ChunkSignatureChain chain = new ChunkSignatureChain(signingKey, timestamp, scope, seed);
    List<byte[]> chunks = List.of(first, second, new byte[0]);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int i = 0; i < chunks.size(); i++) {
      byte[] data = chunks.get(i);
      String signature = chain.next(MessageDigest.getInstance("SHA-256").digest(data));
      if (i == altered) {
        signature = (signature.charAt(0) == '0' ? "1" : "0") + signature.substring(1);
      }
      body.write(
          (Integer.toHexString(data.length) + ";chunk-signature=" + signature + "\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      if (data.length > 0) {
        body.write(data);
        body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      }
    }
    body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(gateway.endpoint() + path))
            .header("x-amz-content-sha256", payload)
            .header("x-amz-date", timestamp)
            .header("x-amz-decoded-content-length", Long.toString(decoded))
            .header("Content-Encoding", "aws-chunked")
            .header(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential="
                    + alice.getAccessKeyId()
                    + '/'
                    + scope
                    + ", SignedHeaders="
                    + String.join(";", signed.keySet())
                    + ", Signature="
                    + seed)
            .PUT(bytes(body.toByteArray()));
    return send(request);
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(url)).GET());
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(
        request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** {@code size} bytes of a pattern that does not repeat at chunk boundaries. */
  private static byte[] bytes(int size) {
    byte[] data = new byte[size];
    for (int i = 0; i < size; i++) {
      data[i] = (byte) (i * 31 + i / 7);
    }
    return data;
  }

  private static HttpRequest.BodyPublisher bytes(byte[] data) {
    return HttpRequest.BodyPublishers.ofByteArray(data);
  }

  private static void assertRefused(HttpResponse<String> response, int status, String code) {
    assertEquals(status, response.statusCode(), response.body());
    assertTrue(response.body().contains("<Code>" + code + "</Code>"), response.body());
  }
}
