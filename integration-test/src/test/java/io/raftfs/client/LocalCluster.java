package io.raftfs.client;

import io.raftfs.client.meta.MetaClient;
import io.raftfs.data.config.DataNodeConfig;
import io.raftfs.data.testing.DataNodeFixture;
import io.raftfs.meta.testing.MiniMetaCluster;
import io.raftfs.proto.DataNodeStatus;
import io.raftfs.testing.Await;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Three real masters and {@code n} real data nodes in this JVM, on loopback ports; ready when a
 * leader is elected and every data node is registered and alive.
 */
public final class LocalCluster implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final MiniMetaCluster masters;
  private final Vertx vertx;
  private final DataNodeFixture dataNodes;

  private LocalCluster(MiniMetaCluster masters, Vertx vertx, DataNodeFixture dataNodes) {
    this.masters = masters;
    this.vertx = vertx;
    this.dataNodes = dataNodes;
  }

  public static LocalCluster start(Path dir, int dataNodeCount) {
    return start(dir, dataNodeCount, new Properties(), UnaryOperator.identity());
  }

  /**
   * As {@link #start(Path, int)}, with {@code masterSettings} applied to every master's config and
   * {@code nodeSettings} to every data node's (e.g. short repair intervals, the scrubber's rate).
   */
  public static LocalCluster start(
      Path dir,
      int dataNodeCount,
      Properties masterSettings,
      UnaryOperator<DataNodeConfig.Builder> nodeSettings) {
    MiniMetaCluster masters = MiniMetaCluster.start(dir.resolve("masters"), 3, masterSettings);
    masters.awaitLeader();
    Vertx vertx = Vertx.vertx();
    DataNodeFixture dataNodes =
        DataNodeFixture.start(
            vertx,
            dir.resolve("data"),
            dataNodeCount,
            node ->
                nodeSettings.apply(
                    node.masters(masters.httpAddresses())
                        .reserveBytes(0)
                        .heartbeatInterval(Duration.ofMillis(200))
                        // Off unless a test wants it: 2 cores, many nodes, tests that time.
                        .scrubberBytesPerSecond(0)));
    LocalCluster cluster = new LocalCluster(masters, vertx, dataNodes);
    try (MetaClient meta = masters.newClient()) {
      Await.until(
          READY_TIMEOUT,
          dataNodeCount + " live data nodes",
          () ->
              meta.clusterStatus().getDataNodesList().stream()
                      .filter(DataNodeStatus::getAlive)
                      .count()
                  == dataNodeCount);
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  public MiniMetaCluster masters() {
    return masters;
  }

  public List<String> masterAddresses() {
    return masters.httpAddresses();
  }

  public DataNodeFixture dataNodes() {
    return dataNodes;
  }

  public FileSystemClient newClient() {
    return new FileSystemClient(masterAddresses());
  }

  @Override
  public void close() {
    dataNodes.close();
    try {
      vertx.close().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Masters still stop below.
    }
    masters.close();
  }
}
