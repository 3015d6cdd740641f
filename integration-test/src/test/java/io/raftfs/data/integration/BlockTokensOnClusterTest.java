package io.raftfs.data.integration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.auth.BlockTokens;
import io.raftfs.client.FileSystemClient;
import io.raftfs.client.PutOptions;
import io.raftfs.client.TransferListener;
import io.raftfs.client.transfer.BlockSink;
import io.raftfs.client.transfer.DataNodeClient;
import io.raftfs.client.transfer.DataNodeException;
import io.raftfs.proto.LocatedBlock;
import io.raftfs.testing.cluster.MasterGroup;
import io.raftfs.testing.cluster.MiniRaftfsCluster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Block access tokens on a real cluster: they come with every location and placement, survive a
 * leader change (the keys are in the log), expire, and clients get fresh ones by themselves.
 */
class BlockTokensOnClusterTest {
  @TempDir Path dir;

  private static byte[] bytes(int length, long seed) {
    byte[] data = new byte[length];
    new Random(seed).nextBytes(data);
    return data;
  }

  private static byte[] read(FileSystemClient client, String path) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    client.get(path, out, TransferListener.NONE);
    return out.toByteArray();
  }

  private static int keyOf(LocatedBlock block) {
    return BlockTokens.fields(BlockTokens.decode(block.getToken())).getKeyId();
  }

  @Test
  void aNewLeaderSignsWithTheKeysOfTheLogAndOldTokensStayGood() throws Exception {
    try (MiniRaftfsCluster cluster =
            MiniRaftfsCluster.builder().dataNodes(3).build().start(dir.resolve("cluster"));
        FileSystemClient client = cluster.newClient();
        DataNodeClient dataNodes = new DataNodeClient(cluster.clientConfig())) {
      byte[] data = bytes(200_000, 1);
      client.put(
          new ByteArrayInputStream(data),
          "/f",
          new PutOptions(3, 1 << 20, false),
          TransferListener.NONE);
      LocatedBlock before = client.locate("/f").getBlocks(0);
      assertFalse(before.getToken().isEmpty(), "locations carry a token");

      MasterGroup masters = cluster.masters();
      int firstLeader = masters.awaitLeader();
      masters.stop(firstLeader);
      assertNotEquals(firstLeader, masters.awaitLeader());

      LocatedBlock after = client.locate("/f").getBlocks(0);
      assertEquals(keyOf(before), keyOf(after), "the new leader signs with the replicated key");
      for (LocatedBlock located : new LocatedBlock[] {before, after}) {
        byte[] copy = new byte[data.length];
        dataNodes.getBlock(
            located.getReplicas(0),
            located.getBlock().getBlockId(),
            data.length,
            located.getToken(),
            BlockSink.of(copy),
            n -> {});
        assertArrayEquals(data, copy);
      }
      byte[] more = bytes(300_000, 2);
      client.put(
          new ByteArrayInputStream(more),
          "/g",
          new PutOptions(3, 1 << 20, false),
          TransferListener.NONE);
      assertArrayEquals(more, read(client, "/g"));
    }
  }

  @Test
  void expiredTokensAreRefusedAndClientsAskForFreshOnesWhileKeysRoll() throws Exception {
    try (MiniRaftfsCluster cluster =
            MiniRaftfsCluster.builder()
                .dataNodes(3)
                .masterSetting("raftfs.master.auth.block.key.roll.period.ms", "2000")
                .masterSetting("raftfs.master.auth.block.token.lifetime.ms", "1000")
                .build()
                .start(dir.resolve("cluster"));
        FileSystemClient client = cluster.newClient();
        DataNodeClient dataNodes = new DataNodeClient(cluster.clientConfig())) {
      byte[] data = bytes(100_000, 3);
      client.put(
          new ByteArrayInputStream(data),
          "/e",
          new PutOptions(2, 1 << 20, false),
          TransferListener.NONE);
      LocatedBlock located = client.locate("/e").getBlocks(0);
      Thread.sleep(1500);
      DataNodeException refused =
          assertThrows(
              DataNodeException.class,
              () ->
                  dataNodes.getBlock(
                      located.getReplicas(0),
                      located.getBlock().getBlockId(),
                      data.length,
                      located.getToken(),
                      BlockSink.of(new byte[data.length]),
                      n -> {}));
      assertEquals(403, refused.status());
      assertTrue(refused.getMessage().contains("block token expired"), refused.getMessage());
      assertTrue(refused.tokenRefused());

      // Across several key rolls, puts and gets keep working: clients fetch fresh tokens.
      int firstKey = keyOf(located);
      long until = System.currentTimeMillis() + 7000;
      int round = 0;
      while (System.currentTimeMillis() < until) {
        byte[] more = bytes(50_000 + round, 10 + round);
        client.put(
            new ByteArrayInputStream(more),
            "/r" + round,
            new PutOptions(3, 1 << 20, false),
            TransferListener.NONE);
        assertArrayEquals(more, read(client, "/r" + round));
        round++;
        Thread.sleep(300);
      }
      assertArrayEquals(data, read(client, "/e"));
      assertNotEquals(firstKey, keyOf(client.locate("/e").getBlocks(0)), "keys rolled");
    }
  }
}
