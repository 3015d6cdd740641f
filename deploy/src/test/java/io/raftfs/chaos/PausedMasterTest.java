package io.raftfs.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.client.FileSystemClient;
import io.raftfs.client.PutOptions;
import io.raftfs.client.TransferListener;
import io.raftfs.proto.DataNodeStatus;
import io.raftfs.testing.Await;
import io.raftfs.testing.cluster.ClusterProcess;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A master that hangs (SIGSTOP: it accepts connections but never answers) must not stop the others:
 * clients get through, data nodes stay alive, files go in and out.
 */
class PausedMasterTest {

  @Test
  void aStoppedMasterDoesNotStopTheCluster() throws Exception {
    Path dir = Path.of("target", "chaos", "paused-" + System.currentTimeMillis()).toAbsolutePath();
    try (ChaosCluster cluster = ChaosCluster.start(dir, 3, null)) {
      try (FileSystemClient fs = Worker.newClient(cluster.masterAddresses(), cluster.rootKey())) {
        awaitAlive(fs, 3, Duration.ofSeconds(300));
        ClusterProcess first = cluster.masters().get(0); // the one every client tries first
        first.jvm().pause();
        try (FileSystemClient fresh =
            Worker.newClient(cluster.masterAddresses(), cluster.rootKey())) {
          awaitAlive(fresh, 3, Duration.ofSeconds(60));
          fresh.mkdir("/paused", true);
          byte[] bytes = new byte[600_000];
          Arrays.fill(bytes, (byte) 7);
          fresh.put(
              new ByteArrayInputStream(bytes),
              "/paused/file",
              new PutOptions(3, Worker.BLOCK_SIZE, false),
              TransferListener.NONE);
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          fresh.get("/paused/file", out, TransferListener.NONE);
          assertTrue(Arrays.equals(bytes, out.toByteArray()), "bytes read back");
          // Data nodes keep heartbeating the others while one master hangs.
          Thread.sleep(10_000);
          assertEquals(3, alive(fresh), "live data nodes 10 s after a master stopped");
        } finally {
          first.jvm().resume();
        }
      }
    }
  }

  private static void awaitAlive(FileSystemClient fs, int count, Duration timeout) {
    Await.until(
        timeout,
        count + " live data nodes",
        () -> {
          try {
            return alive(fs) == count;
          } catch (RuntimeException e) {
            return false;
          }
        });
  }

  private static long alive(FileSystemClient fs) {
    return fs.clusterStatus().getDataNodesList().stream().filter(DataNodeStatus::getAlive).count();
  }
}
