package io.raftfs.s3.config;

import io.raftfs.client.config.ClientConfig;
import io.raftfs.client.config.ClientConfigKeys;
import io.raftfs.config.ConfigException;
import java.util.Properties;

/**
 * The gateway's settings, read once at start.
 *
 * @param client how the gateway reaches the cluster (masters, its superuser key)
 * @param maxListKeys cap on one listing page
 */
public record S3GatewayConfig(
    String bindHost,
    int port,
    String region,
    int workers,
    int maxListKeys,
    int replication,
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
    return new S3GatewayConfig(
        S3ConfigKeys.BIND_HOST.get(properties),
        S3ConfigKeys.PORT.get(properties),
        S3ConfigKeys.REGION.get(properties),
        S3ConfigKeys.WORKERS.get(properties),
        S3ConfigKeys.MAX_LIST_KEYS.get(properties),
        S3ConfigKeys.REPLICATION.get(properties),
        client);
  }
}
