package io.raftfs.data.testing;

import io.raftfs.data.DataNode;
import io.raftfs.data.config.DataNodeConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * N data nodes in this JVM, each on a loopback port of its own and a directory {@code base/dn-<i>},
 * for tests of this and other modules (through the test-jar).
 *
 * <pre>{@code
 * try (DataNodeFixture nodes = DataNodeFixture.start(vertx, tempDir, 3)) {
 *   List<String> chain = nodes.addresses();
 * }
 * }</pre>
 *
 * Blocking methods: call them from a test thread, not from an event loop.
 */
public final class DataNodeFixture implements AutoCloseable {
  private static final long TIMEOUT_SECONDS = 30;

  private final Vertx vertx;
  private final List<DataNodeConfig> configs = new ArrayList<>();
  private final List<DataNode> nodes = new ArrayList<>();

  private DataNodeFixture(Vertx vertx) {
    this.vertx = vertx;
  }

  /** {@code count} nodes without masters. */
  public static DataNodeFixture start(Vertx vertx, Path baseDir, int count) {
    return start(vertx, baseDir, count, UnaryOperator.identity());
  }

  /** {@code count} nodes, each config adjusted by {@code customizer} (e.g. to add masters). */
  public static DataNodeFixture start(
      Vertx vertx, Path baseDir, int count, UnaryOperator<DataNodeConfig.Builder> customizer) {
    DataNodeFixture fixture = new DataNodeFixture(vertx);
    try {
      for (int i = 0; i < count; i++) {
        DataNodeConfig config =
            customizer.apply(DataNodeConfig.builder(baseDir.resolve("dn-" + i))).build();
        fixture.configs.add(config);
        fixture.nodes.add(fixture.startNode(config));
      }
    } catch (RuntimeException e) {
      fixture.close();
      throw e;
    }
    return fixture;
  }

  public DataNode node(int i) {
    DataNode node = nodes.get(i);
    if (node == null) {
      throw new IllegalStateException("data node " + i + " is stopped");
    }
    return node;
  }

  public int size() {
    return nodes.size();
  }

  /** host:port of every node, in order; the chain of an upload through all of them. */
  public List<String> addresses() {
    return nodes.stream().map(DataNode::httpAddress).toList();
  }

  public Path dir(int i) {
    return configs.get(i).dir();
  }

  public void stop(int i) {
    DataNode node = nodes.set(i, null);
    if (node != null) {
      await(node.stop());
    }
  }

  /**
   * Starts a graceful stop of node {@code i}: requests in progress get up to {@code grace} to
   * finish. Does not wait.
   */
  public Future<Void> stopGracefully(int i, Duration grace) {
    DataNode node = nodes.set(i, null);
    return node == null ? Future.succeededFuture() : node.stop(grace);
  }

  /** Stops node {@code i} if running and starts it again on the same directory and port. */
  public DataNode restart(int i) {
    int port = nodes.get(i) == null ? configs.get(i).httpPort() : nodes.get(i).port();
    stop(i);
    DataNode node = startNode(configs.get(i).toBuilder().httpPort(port).build());
    nodes.set(i, node);
    return node;
  }

  @Override
  public void close() {
    for (int i = 0; i < nodes.size(); i++) {
      try {
        stop(i);
      } catch (RuntimeException e) {
        // Stop the others anyway.
      }
    }
  }

  private DataNode startNode(DataNodeConfig config) {
    return await(DataNode.start(vertx, config));
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("data node did not start or stop in time", e);
    }
  }
}
