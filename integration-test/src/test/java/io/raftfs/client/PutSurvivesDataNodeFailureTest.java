package io.raftfs.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.data.testing.BlockFiles;
import io.raftfs.data.testing.DataNodeFixture;
import io.raftfs.proto.BlockLocations;
import io.raftfs.proto.LocatedBlock;
import io.raftfs.protocol.DataNodeProtocol;
import io.raftfs.testing.cluster.MiniRaftfsCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data node dies while a put is uploading: the put still completes, every block fully replicated
 * on the nodes that are still running, and the file reads back intact.
 */
class PutSurvivesDataNodeFailureTest {
  private static final long BLOCK = 1 << 20;
  private static final long LENGTH = 48 * BLOCK + 99;

  @TempDir Path dir;

  @Test
  void aDataNodeStoppedMidPutIsAvoidedAndEveryBlockHasThreeCompleteReplicas() throws Exception {
    try (MiniRaftfsCluster cluster =
            // Plaintext: this test speaks raw HTTP; TLS is TlsClusterTest's.
            MiniRaftfsCluster.builder()
                .dataNodes(4)
                .tls(false)
                .build()
                .start(dir.resolve("cluster"));
        FileSystemClient client = cluster.newClient()) {
      DataNodeFixture nodes = cluster.dataNodes();
      List<String> survivors = List.copyOf(nodes.addresses().subList(1, 4));
      Path stoppedDisk = nodes.dir(0);
      Path original = TestFiles.random(dir.resolve("original"), LENGTH, 42);
      StopNodeAfter listener = new StopNodeAfter(LENGTH / 4, () -> nodes.stop(0));

      client.put(original, "/survivor", new PutOptions(3, BLOCK, false), listener);

      listener.stopped.get(30, TimeUnit.SECONDS);
      assertTrue(listener.sawRetry.get(), "some block was uploaded again after the failure");
      BlockLocations file = client.locate("/survivor");
      assertEquals(LENGTH, file.getStatus().getLength());
      for (LocatedBlock block : file.getBlocksList()) {
        long id = block.getBlock().getBlockId();
        long onSurvivors = survivors.stream().filter(node -> holds(node, block)).count();
        long onStopped = BlockFiles.holds(stoppedDisk, id) ? 1 : 0;
        // Blocks stored before the stop keep a copy on the stopped node (the masters
        // re-replicate it); every block after the stop went to three running nodes.
        assertEquals(3, onSurvivors + onStopped, "complete replicas of block " + id);
      }
      Path copy = dir.resolve("copy");
      client.get("/survivor", copy, false, TransferListener.NONE);
      assertEquals(TestFiles.sha256(original), TestFiles.sha256(copy));
    }
  }

  private static boolean holds(String node, LocatedBlock block) {
    HttpRequest head =
        HttpRequest.newBuilder(
                URI.create(
                    "http://"
                        + node
                        + "/blocks/"
                        + Long.toUnsignedString(block.getBlock().getBlockId())))
            .method("HEAD", HttpRequest.BodyPublishers.noBody())
            .header(DataNodeProtocol.BLOCK_TOKEN, block.getToken())
            .build();
    try {
      return HttpClient.newHttpClient()
              .send(head, HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** Stops a node once {@code threshold} bytes have been sent; notes failed attempts. */
  private static final class StopNodeAfter implements TransferListener {
    private final long threshold;
    private final Runnable stop;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicBoolean stopping = new AtomicBoolean();
    final CompletableFuture<Void> stopped = new CompletableFuture<>();
    final AtomicBoolean sawRetry = new AtomicBoolean();

    StopNodeAfter(long threshold, Runnable stop) {
      this.threshold = threshold;
      this.stop = stop;
    }

    @Override
    public void started(long totalBytes) {}

    @Override
    public void transferred(long bytes) {
      if (bytes < 0) {
        sawRetry.set(true);
      }
      if (sent.addAndGet(bytes) >= threshold && stopping.compareAndSet(false, true)) {
        // Off the transfer thread: stopping waits for the node's connections to close.
        CompletableFuture.runAsync(stop).whenComplete((ok, e) -> stopped.complete(null));
      }
    }
  }
}
