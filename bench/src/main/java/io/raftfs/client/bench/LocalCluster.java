package io.raftfs.client.bench;

import io.raftfs.auth.AccessKey;
import io.raftfs.auth.CredentialsFile;
import io.raftfs.client.FileSystemClient;
import io.raftfs.client.config.ClientConfig;
import io.raftfs.client.config.ClientConfigKeys;
import io.raftfs.tls.TlsIdentity;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A cluster of separate JVMs on this machine for a benchmark, started by {@code deploy/cluster} in
 * a run directory of its own (purged first) from a distribution built beforehand, and stopped by
 * {@link #close} or at JVM exit. Secured (signed requests, TLS, one S3 gateway) unless insecure.
 */
final class LocalCluster implements AutoCloseable {
  private final Path repo;
  private final Path runDir;
  private List<String> masters;
  // The superuser's key deploy/cluster made; null for a cluster started --insecure.
  private AccessKey rootKey;
  // The CA deploy/cluster made; null for a cluster started --insecure.
  private Path caFile;
  private HttpClient http;
  private final Map<String, String> env = new HashMap<>();
  private volatile boolean down;

  private LocalCluster(Path repo, Path runDir) {
    this.repo = repo;
    this.runDir = runDir;
  }

  static LocalCluster start(Path repo, Path runDir, boolean insecure) throws Exception {
    LocalCluster cluster = new LocalCluster(repo, runDir);
    Runtime.getRuntime().addShutdownHook(new Thread(cluster::close));
    cluster.run("down", "--purge");
    if (insecure) {
      cluster.run("up", "--insecure");
    } else {
      cluster.run("up");
    }
    cluster.load();
    return cluster;
  }

  private void load() throws Exception {
    Properties ports = new Properties();
    try (var in = Files.newBufferedReader(runDir.resolve("cluster.env"))) {
      ports.load(in);
    }
    masters = List.of(ports.getProperty("MASTERS").split(","));
    Path keyFile = runDir.resolve("root.credentials");
    rootKey = Files.exists(keyFile) ? CredentialsFile.read(keyFile) : null;
    Path ca = runDir.resolve("tls/ca/ca.pem");
    caFile = Files.exists(ca) ? ca : null;
    HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(300));
    if (caFile != null) {
      client.sslContext(TlsIdentity.trusting(caFile).sslContext());
    }
    http = client.build();
    // export NAME="value" lines of deploy/cluster env: the S3 endpoint among them.
    for (String line : run("env").split("\n")) {
      if (line.startsWith("export ") && line.indexOf('=') > 0) {
        String name = line.substring("export ".length(), line.indexOf('='));
        String value = line.substring(line.indexOf('=') + 1);
        env.put(name, value.replaceAll("^\"|\"$", ""));
      }
    }
  }

  List<String> masters() {
    return masters;
  }

  AccessKey rootKey() {
    return rootKey;
  }

  Path caFile() {
    return caFile;
  }

  HttpClient http() {
    return http;
  }

  Path runDir() {
    return runDir;
  }

  /** A variable {@code deploy/cluster env} exports (AWS_ENDPOINT_URL, ...), or null. */
  String env(String name) {
    return env.get(name);
  }

  /** A client of the cluster signing with the superuser's key. */
  FileSystemClient newClient() {
    return new FileSystemClient(masters, clientConfig());
  }

  /** The cluster's client settings: the superuser's key and the CA, unless --insecure. */
  ClientConfig clientConfig() {
    ClientConfig.Builder config = ClientConfig.builder();
    if (rootKey != null) {
      config.credentials(rootKey);
    }
    if (caFile != null) {
      config.set(ClientConfigKeys.Tls.CA_FILE, caFile);
    }
    return config.build();
  }

  /**
   * Runs deploy/cluster on this run directory (the distribution is built already) and returns what
   * it printed.
   */
  String run(String... verb) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(repo.resolve("deploy/cluster").toString());
    command.addAll(List.of(verb));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("RAFTFS_RUN_DIR", runDir.toString());
    builder.environment().put("RAFTFS_SKIP_BUILD", "1");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes());
    if (process.waitFor() != 0) {
      throw new IllegalStateException("deploy/cluster " + String.join(" ", verb) + ": " + output);
    }
    return output;
  }

  /** Stops the cluster, once; keeps its run directory. */
  @Override
  public void close() {
    if (down) {
      return;
    }
    down = true;
    try {
      run("down");
    } catch (Exception e) {
      System.err.println("cluster down failed: " + e);
    }
  }
}
