package io.raftfs.s3.config;

import io.raftfs.client.config.ClientConfig;
import io.raftfs.client.config.ClientConfigKeys;
import io.raftfs.config.ConfigException;
import io.raftfs.config.ConfigKey;
import io.raftfs.tls.TlsFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;

/**
 * The gateway's settings, read once at start.
 *
 * @param client how the gateway reaches the cluster (masters, its superuser key)
 * @param maxListKeys cap on one listing page
 * @param tls the S3 port's certificate, key and the cluster's CA; null: plain HTTP
 * @param minPartBytes smallest part but the last of a multipart upload
 * @param reportInterval how often it reports itself to the leader
 * @param advertisedAddress host:port it reports; null: the bind host and the port it listens on
 * @param publicReadBuckets buckets anyone may read without credentials
 */
public record S3GatewayConfig(
    String bindHost,
    int port,
    TlsFiles tls,
    String region,
    int workers,
    int maxListKeys,
    int replication,
    long minPartBytes,
    Duration reportInterval,
    String advertisedAddress,
    Set<String> publicReadBuckets,
    ClientConfig client) {

  /**
   * @throws ConfigException for an unknown key, a bad value, or no gateway key
   */
  public static S3GatewayConfig fromProperties(Properties properties) {
    Properties clientKeys = new Properties();
    for (String name : properties.stringPropertyNames()) {
      if (ClientConfigKeys.ALL.contains(name)) {
        clientKeys.setProperty(name, properties.getProperty(name));
      } else if (!S3ConfigKeys.ALL.contains(name)) {
        throw new ConfigException("unknown key " + name);
      }
    }
    // S3 objects are private unless their ACL says otherwise (docs/s3.md, "ACLs"): what the
    // gateway writes gets 0600 unless the configuration asks for another umask.
    clientKeys.putIfAbsent(ClientConfigKeys.UMASK.name(), "077");
    ClientConfig client = ClientConfig.fromProperties(clientKeys);
    if (client.masters().isEmpty()) {
      throw new ConfigException("raftfs.masters is not set");
    }
    if (client.credentials().isEmpty()) {
      throw new ConfigException(
          "the gateway needs a superuser's key (raftfs.client.access.key, .secret.key)");
    }
    TlsFiles tls = null;
    if (S3ConfigKeys.TLS_ENABLED.get(properties)) {
      tls =
          new TlsFiles(
              requiredForTls(properties, S3ConfigKeys.TLS_CA_FILE),
              requiredForTls(properties, S3ConfigKeys.TLS_CERT_FILE),
              requiredForTls(properties, S3ConfigKeys.TLS_KEY_FILE));
    }
    return new S3GatewayConfig(
        S3ConfigKeys.BIND_HOST.get(properties),
        S3ConfigKeys.PORT.get(properties),
        tls,
        S3ConfigKeys.REGION.get(properties),
        S3ConfigKeys.WORKERS.get(properties),
        S3ConfigKeys.MAX_LIST_KEYS.get(properties),
        S3ConfigKeys.REPLICATION.get(properties),
        S3ConfigKeys.MIN_PART_BYTES.get(properties),
        S3ConfigKeys.REPORT_INTERVAL.get(properties),
        S3ConfigKeys.ADVERTISED_ADDRESS.find(properties).orElse(null),
        Set.copyOf(S3ConfigKeys.PUBLIC_READ_BUCKETS.get(properties)),
        client);
  }

  private static Path requiredForTls(Properties properties, ConfigKey<Path> key) {
    return key.find(properties)
        .orElseThrow(
            () ->
                new ConfigException(
                    key.name()
                        + " is required while "
                        + S3ConfigKeys.TLS_ENABLED.name()
                        + " is true (see docs/s3.md)"));
  }
}
