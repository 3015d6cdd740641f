package io.raftfs.client.bench;

import io.raftfs.auth.AccessKey;
import io.raftfs.auth.CredentialsFile;
import io.raftfs.client.FileSystemClient;
import io.raftfs.client.config.ClientConfig;
import io.raftfs.client.config.ClientConfigKeys;
import io.raftfs.tls.TlsIdentity;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
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

  /** The data nodes' directory names in the run directory (dn1, dn2, ...), in order. */
  List<String> dataNodes() throws IOException {
    try (var dirs = Files.list(runDir)) {
      return dirs.map(d -> d.getFileName().toString())
          .filter(name -> name.matches("dn\\d+"))
          .sorted(Comparator.comparingInt(name -> Integer.parseInt(name.substring(2))))
          .toList();
    }
  }

  /**
   * Sets {@code settings} in every data node's config file (a null value removes the key: back to
   * its default) and restarts the data nodes one at a time, each once the last answers again.
   */
  void reconfigureDataNodes(Map<String, String> settings) throws Exception {
    for (String node : dataNodes()) {
      Path conf = runDir.resolve(node).resolve("datanode.conf");
      List<String> lines = new ArrayList<>();
      for (String line : Files.readAllLines(conf)) {
        if (settings.keySet().stream().noneMatch(key -> line.startsWith(key + "="))) {
          lines.add(line);
        }
      }
      settings.forEach(
          (key, value) -> {
            if (value != null) {
              lines.add(key + "=" + value);
            }
          });
      Files.write(conf, lines);
      run("restart", "datanode", node.substring(2));
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (dataNodeStatus(node) == null) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(node + " did not answer within 60 s of its restart");
        }
        Thread.sleep(100);
      }
    }
  }

  /** {@code GET /status} of data node {@code node} (dn1, ...), or null while it does not answer. */
  JsonObject dataNodeStatus(String node) throws IOException, InterruptedException {
    Properties conf = new Properties();
    try (var in = Files.newBufferedReader(runDir.resolve(node).resolve("datanode.conf"))) {
      conf.load(in);
    }
    URI uri =
        URI.create(
            (caFile == null ? "http://" : "https://")
                + "127.0.0.1:"
                + conf.getProperty("raftfs.datanode.http.port")
                + "/status");
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? new JsonObject(response.body()) : null;
    } catch (IOException e) {
      return null;
    }
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
