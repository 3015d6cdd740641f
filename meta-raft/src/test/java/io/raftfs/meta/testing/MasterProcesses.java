package io.raftfs.meta.testing;

import io.raftfs.client.meta.MetaClient;
import io.raftfs.client.meta.MetaClientOptions;
import io.raftfs.meta.config.MasterConfigKeys;
import io.raftfs.testing.Await;
import io.raftfs.testing.FreePorts;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Three (or more) masters as separate JVMs, started from this JVM's classpath, so tests can kill
 * them for real ({@code kill -9} is {@link Process#destroyForcibly()}: SIGKILL on Linux).
 *
 * <pre>{@code
 * try (MasterProcesses masters = MasterProcesses.start(dir, 3)) {
 *   masters.kill(0);
 *   masters.restart(0);
 * }
 * }</pre>
 */
public final class MasterProcesses implements AutoCloseable {
  private final Path dir;
  private final List<Path> configs = new ArrayList<>();
  private final List<String> httpAddresses = new ArrayList<>();
  private final Process[] processes;

  private MasterProcesses(Path dir, int size) {
    this.dir = dir;
    this.processes = new Process[size];
  }

  public static MasterProcesses start(Path dir, int size) {
    MasterProcesses masters = new MasterProcesses(dir, size);
    List<String> peers = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      int httpPort = FreePorts.next();
      peers.add("m" + i + "=127.0.0.1:" + FreePorts.next() + ":" + httpPort);
      masters.httpAddresses.add("127.0.0.1:" + httpPort);
    }
    try {
      for (int i = 1; i <= size; i++) {
        Properties props = new Properties();
        props.setProperty(MasterConfigKeys.ID_KEY, "m" + i);
        props.setProperty(MasterConfigKeys.PEERS_KEY, String.join(",", peers));
        props.setProperty(MasterConfigKeys.STORAGE_DIR_KEY, dir.resolve("m" + i).toString());
        props.setProperty(MasterConfigKeys.HTTP_BIND_HOST_KEY, "127.0.0.1");
        Path conf = dir.resolve("m" + i + ".conf");
        try (OutputStream out = Files.newOutputStream(conf)) {
          props.store(out, null);
        }
        masters.configs.add(conf);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (int i = 0; i < size; i++) {
      masters.restart(i);
    }
    return masters;
  }

  /** Starts master {@code index}'s JVM (again); its log goes to {@code m<i>.log}. */
  public void restart(int index) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    try {
      processes[index] =
          new ProcessBuilder(
                  java,
                  "-Xmx512m",
                  "-XX:+UseG1GC",
                  "-cp",
                  System.getProperty("java.class.path"),
                  "io.raftfs.meta.server.MasterMain",
                  "--config",
                  configs.get(index).toString())
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(
                      dir.resolve("m" + (index + 1) + ".log").toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed that was not already. */
  public void kill(int index) {
    processes[index].destroyForcibly();
    try {
      processes[index].waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Index of the master the cluster names as leader, asked through {@code client}. */
  public int leader(MetaClient client) {
    return Await.value(
        Duration.ofSeconds(30),
        "a leader",
        () -> {
          try {
            String leaderId = client.clusterStatus().getLeaderId();
            return leaderId.isEmpty() ? null : Integer.parseInt(leaderId.substring(1)) - 1;
          } catch (RuntimeException e) {
            return null;
          }
        });
  }

  public List<String> httpAddresses() {
    return httpAddresses;
  }

  public MetaClient newClient() {
    return new MetaClient(httpAddresses, MetaClientOptions.DEFAULTS);
  }

  @Override
  public void close() {
    for (Process process : processes) {
      if (process != null && process.isAlive()) {
        process.destroy();
      }
    }
    for (Process process : processes) {
      if (process != null) {
        try {
          if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
