package io.raftfs.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.raftfs.testing.cluster.MiniRaftfsCluster;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Placement asks for the space a block needs, not for the file's block size. */
class SmallFilesOnSmallDisksTest {
  private static final long DISK = 8L << 20;

  @TempDir Path dir;

  @Test
  void manySmallFilesFitOnNodesWithLessRoomThanOneBlockSize() throws Exception {
    try (MiniRaftfsCluster cluster =
            MiniRaftfsCluster.builder()
                .dataNodes(3)
                .dataNodeSettings(node -> node.capacityBytes(DISK))
                .build()
                .start(dir.resolve("cluster"));
        FileSystemClient client = cluster.newClient()) {
      PutOptions bigBlocks = new PutOptions(3, PutOptions.DEFAULT_BLOCK_SIZE, false);
      for (int i = 0; i < 20; i++) {
        Path original = TestFiles.random(dir.resolve("f" + i), 1024, i);
        client.put(original, "/f" + i, bigBlocks, TransferListener.NONE);
        Path copy = dir.resolve("copy" + i);
        client.get("/f" + i, copy, false, TransferListener.NONE);
        assertEquals(TestFiles.sha256(original), TestFiles.sha256(copy));
      }
    }
  }
}
