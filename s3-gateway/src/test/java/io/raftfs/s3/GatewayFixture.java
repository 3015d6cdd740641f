package io.raftfs.s3;

import io.raftfs.auth.AccessKey;
import io.raftfs.proto.UserInfo;
import io.raftfs.s3.config.S3GatewayConfig;
import io.raftfs.testing.cluster.MiniRaftfsCluster;
import java.net.URI;
import java.util.Map;
import java.util.Properties;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** An in-process gateway on a {@link MiniRaftfsCluster}, and AWS SDK clients pointed at it. */
final class GatewayFixture implements AutoCloseable {
  private final S3Gateway gateway;

  GatewayFixture(MiniRaftfsCluster cluster, int replication) throws Exception {
    this(cluster, replication, Map.of());
  }

  /** A gateway whose config also has {@code extraSettings} ({@code raftfs.s3.*} keys). */
  GatewayFixture(MiniRaftfsCluster cluster, int replication, Map<String, String> extraSettings)
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
    settings.setProperty("raftfs.s3.port", "0");
    settings.setProperty("raftfs.s3.replication", Integer.toString(replication));
    settings.setProperty("raftfs.s3.workers", "8");
    extraSettings.forEach(settings::setProperty);
    gateway = S3Gateway.start(S3GatewayConfig.fromProperties(settings));
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + gateway.port());
  }

  /** A client of the gateway signing with {@code user}'s key; no retries, so failures show. */
  S3Client clientOf(UserInfo user) {
    return clientOf(user.getAccessKeyId(), user.getSecretKey()).build();
  }

  S3ClientBuilder clientOf(String accessKeyId, String secretKey) {
    return S3Client.builder()
        .endpointOverride(endpoint())
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(
            ClientOverrideConfiguration.builder()
                .retryStrategy(AwsRetryStrategy.doNotRetry())
                .build())
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretKey)));
  }

  @Override
  public void close() {
    gateway.close();
  }
}
