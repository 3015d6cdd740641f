package io.raftfs.hadoop;

import io.raftfs.auth.AccessKey;
import io.raftfs.auth.CredentialsFile;
import io.raftfs.client.config.ClientConfig;
import io.raftfs.client.config.ClientConfigKeys;
import io.raftfs.config.ConfigException;
import io.raftfs.config.ConfigKey;
import io.raftfs.config.ConfigTypes;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;

/**
 * What a {@code raftfs://} file system takes from the Hadoop configuration: the masters its URI
 * names, its own settings ({@link HadoopConfigKeys}) and the client library's. Any {@code
 * raftfs.client.X} is passed to the client as it is, and so is {@code fs.raftfs.X} as {@code
 * raftfs.client.X}, so a client setting added later needs no change here. The key that signs
 * requests comes from {@code fs.raftfs.access.key}/{@code secret.key} (the secret may sit in a
 * Hadoop credential provider), else from {@code fs.raftfs.credentials.file}, else from the
 * environment's {@code RAFTFS_ACCESS_KEY}/{@code RAFTFS_SECRET_KEY}.
 *
 * @param masters the masters' HTTP addresses
 * @param client the client library's settings
 * @param settings this file system's own settings, checked
 */
record HadoopClientSettings(List<String> masters, ClientConfig client, Properties settings) {
  static final String CLIENT_PREFIX = ClientConfigKeys.PREFIX + ".";
  private static final String SECRET_KEY = HadoopConfigKeys.PREFIX + ".secret.key";

  /**
   * Resolves the settings of the file system at {@code uri}.
   *
   * @param env the process environment (a test passes its own)
   * @throws IOException naming the bad or missing setting; never a secret
   */
  static HadoopClientSettings resolve(URI uri, Configuration conf, Map<String, String> env)
      throws IOException {
    try {
      Properties settings = new Properties();
      for (ConfigKey<?> key : HadoopConfigKeys.ALL) {
        String value = conf.getTrimmed(key.name());
        if (value != null) {
          settings.setProperty(key.name(), value);
          key.get(settings); // checked now, not at the first write
        }
      }
      Properties client = clientProperties(conf);
      if (!client.containsKey(ClientConfigKeys.Auth.ACCESS_KEY.name())) {
        credentials(settings, env)
            .ifPresent(
                key -> {
                  client.setProperty(ClientConfigKeys.Auth.ACCESS_KEY.name(), key.id());
                  client.setProperty(ClientConfigKeys.Auth.SECRET_KEY.name(), key.secret());
                });
      }
      return new HadoopClientSettings(
          masters(uri, conf, settings), ClientConfig.fromProperties(client), settings);
    } catch (IllegalArgumentException e) { // ConfigException among them
      throw new IOException(uri + ": " + e.getMessage(), e);
    }
  }

  /** A setting of this file system: its value, or its default. */
  <T> T get(ConfigKey<T> key) {
    return key.get(settings);
  }

  private static Properties clientProperties(Configuration conf) throws IOException {
    Properties client = new Properties();
    conf.getPropsWithPrefix(CLIENT_PREFIX)
        .forEach((k, v) -> client.setProperty(CLIENT_PREFIX + k, v));
    conf.getPropsWithPrefix(HadoopConfigKeys.PREFIX + ".")
        .forEach(
            (suffix, value) -> {
              if (!isFileSystemKey(suffix)) {
                client.setProperty(CLIENT_PREFIX + suffix, value.strip());
              }
            });
    char[] secret = conf.getPassword(SECRET_KEY);
    if (secret != null) {
      client.setProperty(ClientConfigKeys.Auth.SECRET_KEY.name(), new String(secret));
    }
    return client;
  }

  /** Keys below {@code fs.raftfs.} that Hadoop or this file system reads, not the client. */
  private static boolean isFileSystemKey(String suffix) {
    return HadoopConfigKeys.isFileSystemKey(HadoopConfigKeys.PREFIX + "." + suffix)
        || suffix.startsWith("cluster.")
        || suffix.startsWith("impl"); // fs.raftfs.impl, fs.raftfs.impl.disable.cache
  }

  private static Optional<AccessKey> credentials(Properties settings, Map<String, String> env)
      throws IOException {
    Optional<Path> file = HadoopConfigKeys.CREDENTIALS_FILE.find(settings);
    if (file.isPresent()) {
      return Optional.of(CredentialsFile.read(file.get()));
    }
    String id = env.get("RAFTFS_ACCESS_KEY");
    String secret = env.get("RAFTFS_SECRET_KEY");
    if (id == null || secret == null) {
      return Optional.empty();
    }
    return Optional.of(new AccessKey(id, secret));
  }

  private static List<String> masters(URI uri, Configuration conf, Properties settings) {
    String authority = uri.getAuthority();
    if (authority == null || authority.isEmpty()) {
      List<String> masters = HadoopConfigKeys.MASTERS.get(settings);
      if (masters.isEmpty()) {
        throw new ConfigException(
            "names no masters: use raftfs://host:port,host:port/ or set "
                + HadoopConfigKeys.MASTERS.name());
      }
      return masters;
    }
    if (authority.contains(":") || authority.contains(",")) {
      return ConfigTypes.HOST_PORTS.parse(authority);
    }
    String key =
        HadoopConfigKeys.CLUSTER_PREFIX + authority + HadoopConfigKeys.CLUSTER_MASTERS_SUFFIX;
    String listed = conf.getTrimmed(key);
    if (listed == null || listed.isEmpty()) {
      throw new ConfigException("no cluster named " + authority + ": list its masters in " + key);
    }
    return ConfigTypes.HOST_PORTS.parse(listed);
  }
}
