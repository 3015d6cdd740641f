package io.raftfs.client.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.raftfs.client.FileSystemClient;
import io.raftfs.client.PutOptions;
import io.raftfs.client.TestFiles;
import io.raftfs.client.TransferListener;
import io.raftfs.client.config.ClientConfig;
import io.raftfs.client.meta.MetaClient;
import io.raftfs.client.meta.PathExistsException;
import io.raftfs.proto.LocatedBlock;
import io.raftfs.testing.cluster.MiniRaftfsCluster;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Small files take placements fetched ahead: one allocation serves a batch, a stale placement is
 * not used, and the commit still refuses an existing path.
 */
class PlacementReserveTest {
  @TempDir static Path dir;
  private static MiniRaftfsCluster cluster;

  @BeforeAll
  static void start() {
    cluster = MiniRaftfsCluster.builder().dataNodes(3).build().start(dir.resolve("cluster"));
    try (MetaClient meta = cluster.masters().newClient()) {
      meta.mkdir("/reserve", true);
    }
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void batchesGrowWhileUsedAndStalePlacementsAreNotUsed() {
    AtomicLong now = new AtomicLong();
    try (MetaClient meta = cluster.masters().newClient()) {
      PlacementReserve reserve = new PlacementReserve(meta, now::get);
      reserve.take(3);
      assertEquals(0, reserve.kept(3), "a first batch of one: a single put asks for no more");
      LocatedBlock second = reserve.take(3);
      assertEquals(1, reserve.kept(3), "then two");
      LocatedBlock third = reserve.take(3);
      // The leader hands a batch consecutive ids.
      assertEquals(id(second) + 1, id(third), "the third came from the reserve");
      assertEquals(3, third.getReplicasCount());
      LocatedBlock fourth = reserve.take(3);
      assertEquals(3, reserve.kept(3), "then four");

      now.addAndGet(ClientConfig.DEFAULTS.reserveMaxAge().toNanos());
      LocatedBlock fifth = reserve.take(3);
      assertNotEquals(id(fourth) + 1, id(fifth), "the rest had gone stale: a new batch");
      assertEquals(0, reserve.kept(3), "of one again");
    }
  }

  @Test
  void smallFilesPutThroughTheReserveReadBack() throws Exception {
    try (FileSystemClient client = cluster.newClient()) {
      for (int i = 0; i < 10; i++) {
        Path original = TestFiles.random(dir.resolve("small" + i), 4096, i);
        client.put(original, "/reserve/f" + i, options(false), TransferListener.NONE);
        Path copy = dir.resolve("small-copy" + i);
        client.get("/reserve/f" + i, copy, false, TransferListener.NONE);
        assertEquals(TestFiles.sha256(original), TestFiles.sha256(copy));
      }
    }
  }

  @Test
  void theCommitRefusesAnExistingPathAndKeepsItsFile() throws Exception {
    try (FileSystemClient client = cluster.newClient()) {
      Path original = TestFiles.random(dir.resolve("kept"), 2000, 1);
      client.put(original, "/reserve/exists", options(false), TransferListener.NONE);
      Path other = TestFiles.random(dir.resolve("other"), 3000, 2);
      AtomicLong sent = new AtomicLong();
      assertThrows(
          PathExistsException.class,
          () -> client.put(other, "/reserve/exists", options(false), progress(sent)));
      // No early refusal for a reserved placement: the bytes went out, the commit said no.
      assertEquals(3000, sent.get());

      Path copy = dir.resolve("kept-copy");
      client.get("/reserve/exists", copy, false, TransferListener.NONE);
      assertEquals(TestFiles.sha256(original), TestFiles.sha256(copy));
    }
  }

  private static long id(LocatedBlock block) {
    return block.getBlock().getBlockId();
  }

  private static TransferListener progress(AtomicLong sent) {
    return new TransferListener() {
      @Override
      public void started(long totalBytes) {}

      @Override
      public void transferred(long bytes) {
        sent.addAndGet(bytes);
      }
    };
  }

  private static PutOptions options(boolean overwrite) {
    return new PutOptions(3, PutOptions.DEFAULT_BLOCK_SIZE, overwrite);
  }
}
