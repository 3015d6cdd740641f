package io.raftfs.s3;

import io.raftfs.auth.AccessKey;
import io.raftfs.proto.UserInfo;
import io.raftfs.s3.config.S3GatewayConfig;
import io.raftfs.testing.cluster.MiniRaftfsCluster;
import io.raftfs.tls.NodeName;
import io.raftfs.tls.TlsFiles;
import io.raftfs.tls.TlsIdentity;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import javax.net.ssl.TrustManager;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * An in-process gateway on a {@link MiniRaftfsCluster}, and AWS SDK clients pointed at it. On a
 * cluster with TLS (the default) the S3 port speaks TLS too, with a certificate from the cluster's
 * CA (role s3), and the clients trust that CA only.
 */
final class GatewayFixture implements AutoCloseable {
  private final S3Gateway gateway;
  private final TlsIdentity clientTls; // null: plain HTTP

  GatewayFixture(MiniRaftfsCluster cluster, int replication) throws Exception {
    this(cluster, replication, cluster.certificates() != null, Map.of());
  }

  /**
   * @param tls whether the S3 port speaks TLS (needs a cluster with TLS); false only for tests of
   *     {@code raftfs.s3.tls.enabled=false}
   */
  GatewayFixture(MiniRaftfsCluster cluster, int replication, boolean tls) throws Exception {
    this(cluster, replication, tls, Map.of());
  }

  /** A gateway whose config also has {@code extraSettings} ({@code raftfs.s3.*} keys). */
  GatewayFixture(MiniRaftfsCluster cluster, int replication, Map<String, String> extraSettings)
      throws Exception {
    this(cluster, replication, cluster.certificates() != null, extraSettings);
  }

  private GatewayFixture(
      MiniRaftfsCluster cluster, int replication, boolean tls, Map<String, String> extraSettings)
      throws Exception {
    AccessKey root = cluster.clientConfig().credentials().orElseThrow();
    Properties settings = new Properties();
    settings.setProperty("raftfs.masters", String.join(",", cluster.masterAddresses()));
    settings.setProperty("raftfs.client.access.key", root.id());
    settings.setProperty("raftfs.client.secret.key", root.secret());
    String caFile = cluster.cliEnvironment().get("RAFTFS_CA_FILE");
    if (caFile != null) {
      settings.setProperty("raftfs.client.tls.ca.file", caFile);
    }
    settings.setProperty("raftfs.s3.tls.enabled", Boolean.toString(tls));
    if (tls) {
      TlsFiles files = cluster.certificates().node(new NodeName(NodeName.Role.S3, "s3gw"));
      settings.setProperty("raftfs.s3.tls.ca.file", files.caFile().toString());
      settings.setProperty("raftfs.s3.tls.cert.file", files.certFile().toString());
      settings.setProperty("raftfs.s3.tls.key.file", files.keyFile().toString());
      clientTls = TlsIdentity.trusting(files.caFile());
    } else {
      clientTls = null;
    }
    settings.setProperty("raftfs.s3.port", "0");
    settings.setProperty("raftfs.s3.replication", Integer.toString(replication));
    settings.setProperty("raftfs.s3.workers", "8");
    extraSettings.forEach(settings::setProperty);
    gateway = S3Gateway.start(S3GatewayConfig.fromProperties(settings));
  }

  int port() {
    return gateway.port();
  }

  URI endpoint() {
    return URI.create((clientTls == null ? "http" : "https") + "://127.0.0.1:" + gateway.port());
  }

  /** The same port in the other scheme: plain HTTP against the TLS port. */
  URI plaintextEndpoint() {
    return URI.create("http://127.0.0.1:" + gateway.port());
  }

  /** A JDK HTTP/1.1 client trusting the cluster's CA (the JDK client would ask for h2c). */
  HttpClient httpClient() {
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10));
    if (clientTls != null) {
      builder.sslContext(clientTls.sslContext());
    }
    return builder.build();
  }

  /** A client of the gateway signing with {@code user}'s key; no retries, so failures show. */
  S3Client clientOf(UserInfo user) {
    return clientOf(user.getAccessKeyId(), user.getSecretKey()).build();
  }

  S3ClientBuilder clientOf(String accessKeyId, String secretKey) {
    return client()
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretKey)));
  }

  /** A client that signs nothing (the SDK's anonymous credentials). */
  S3Client anonymousClient() {
    return client().credentialsProvider(AnonymousCredentialsProvider.create()).build();
  }

  private S3ClientBuilder client() {
    UrlConnectionHttpClient.Builder http = UrlConnectionHttpClient.builder();
    if (clientTls != null) {
      http.tlsTrustManagersProvider(() -> new TrustManager[] {clientTls.trustManager()});
    }
    return S3Client.builder()
        .endpointOverride(endpoint())
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .httpClient(http.build())
        .overrideConfiguration(
            ClientOverrideConfiguration.builder()
                .retryStrategy(AwsRetryStrategy.doNotRetry())
                .build());
  }

  @Override
  public void close() {
    gateway.close();
  }
}
