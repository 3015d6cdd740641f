package io.raftfs.data.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.data.store.BlockEntry;
import io.raftfs.data.store.BlockStore;
import io.raftfs.data.testing.BlockClient;
import io.raftfs.data.testing.BlockPattern;
import io.raftfs.data.testing.DataNodeFixture;
import io.raftfs.data.testing.StoredBlocks;
import io.raftfs.data.tls.NodeClient;
import io.raftfs.proto.DataNodeAddress;
import io.raftfs.proto.RegisteredNodes;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Re-replication copies as the leader's CopyBlockCommand runs them: a copy the target already has
 * is done, a replica that rotted on the source is refused by the target's CRC check, and a target
 * that is not a registered data node is never connected to.
 */
class BlockCopierTest {
  @TempDir Path dir;
  private Vertx vertx;
  private DataNodeFixture targets;
  private BlockStore source;
  private HttpClient http;
  private BlockCopier copier;
  private BlockClient client;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    targets = DataNodeFixture.start(vertx, dir.resolve("targets"), 1);
    source = BlockStore.open(dir.resolve("source"), OptionalLong.empty(), 0);
    http = vertx.createHttpClient();
    ForwardTargets registered = ForwardTargets.registeredOnly();
    registered.update(
        "master",
        RegisteredNodes.newBuilder()
            .setVersion(1)
            .addAllHttpAddresses(targets.addresses())
            .build());
    copier = new BlockCopier(vertx, NodeClient.plaintext(http), source, registered);
    client = new BlockClient(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    targets.close();
    source.close();
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  @Test
  void aCopyToANodeThatAlreadyHoldsTheBlockSucceeds() throws Exception {
    BlockPattern pattern = new BlockPattern(21, 200_000);
    BlockEntry block = store(21, pattern);
    String target = targets.addresses().get(0);

    copier.copy(block, at(target)).await(10, TimeUnit.SECONDS);
    copier.copy(block, at(target)).await(10, TimeUnit.SECONDS);

    assertTrue(client.get(target, 21, pattern, null).await(10, TimeUnit.SECONDS).matchesPattern());
  }

  @Test
  void aReplicaThatRottedOnTheSourceIsRefusedByTheTargetAndNothingIsStored() throws Exception {
    BlockPattern pattern = new BlockPattern(22, 200_000);
    BlockEntry block = store(22, pattern);
    StoredBlocks.flipByte(source, 22, 123_456);
    String target = targets.addresses().get(0);

    Throwable failure =
        copier
            .copy(block, at(target))
            .toCompletionStage()
            .toCompletableFuture()
            .handle((v, e) -> e)
            .get(10, TimeUnit.SECONDS);

    assertTrue(String.valueOf(failure).contains("422"), String.valueOf(failure));
    assertEquals(404, client.head(target, 22).await(10, TimeUnit.SECONDS).status());
  }

  @Test
  void aCopyToAnUnregisteredAddressFailsWithoutConnecting() throws Exception {
    BlockPattern pattern = new BlockPattern(23, 1000);
    BlockEntry block = store(23, pattern);
    try (ServerSocketChannel listener = ServerSocketChannel.open()) {
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      listener.configureBlocking(false);
      String target = "127.0.0.1:" + listener.socket().getLocalPort();

      Throwable failure =
          copier
              .copy(block, at(target))
              .toCompletionStage()
              .toCompletableFuture()
              .handle((v, e) -> e)
              .get(10, TimeUnit.SECONDS);

      assertTrue(
          String.valueOf(failure).contains("not a registered data node"), String.valueOf(failure));
      assertNull(listener.accept(), "the copier connected to " + target);
    }
  }

  private BlockEntry store(long blockId, BlockPattern pattern) throws Exception {
    return StoredBlocks.store(source, blockId, pattern.bytes(0, (int) pattern.length()));
  }

  private static DataNodeAddress at(String address) {
    return DataNodeAddress.newBuilder().setHttpAddress(address).build();
  }
}
