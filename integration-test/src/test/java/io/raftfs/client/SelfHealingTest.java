package io.raftfs.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.client.config.ClientConfig;
import io.raftfs.client.config.ClientConfigKeys;
import io.raftfs.client.meta.BlocksRetiredException;
import io.raftfs.client.meta.MetaClient;
import io.raftfs.client.meta.MetaClientOptions;
import io.raftfs.client.meta.PathNotFoundException;
import io.raftfs.client.transfer.DataNodeClient;
import io.raftfs.client.transfer.FileUpload;
import io.raftfs.client.transfer.PlacementReserve;
import io.raftfs.client.transfer.SliceSource;
import io.raftfs.data.store.BlockLayout;
import io.raftfs.data.testing.BlockFiles;
import io.raftfs.data.testing.DataNodeFixture;
import io.raftfs.meta.config.MasterConfigKeys;
import io.raftfs.proto.BlockInfo;
import io.raftfs.proto.BlockLocations;
import io.raftfs.proto.ClusterStatus;
import io.raftfs.proto.DataNodeStatus;
import io.raftfs.proto.FsckReport;
import io.raftfs.proto.LocatedBlock;
import io.raftfs.testing.Await;
import io.raftfs.testing.cluster.MiniRaftfsCluster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Self-healing end to end: three real masters with short repair settings, four real data nodes, the
 * real client. Every test damages the cluster one way and waits (with a deadline) until the masters
 * and data nodes have repaired it, then checks the disks and the bytes.
 */
class SelfHealingTest {
  private static final long BLOCK = 128 * 1024;
  private static final long DEAD_AFTER_MS = 2000;
  private static final long ORPHAN_GRACE_MS = 3000;
  private static final Duration REPAIRED = Duration.ofSeconds(60);
  private static final PutOptions R3 = new PutOptions(3, BLOCK, false);

  @TempDir Path dir;
  private MiniRaftfsCluster cluster;
  private FileSystemClient client;

  private void start(long scrubberBytesPerSecond) {
    start(scrubberBytesPerSecond, new Properties());
  }

  private void start(long scrubberBytesPerSecond, Properties extra) {
    Properties masters = new Properties();
    masters.setProperty(MasterConfigKeys.REPAIR_SCAN_INTERVAL_MS_KEY, "200");
    masters.setProperty(MasterConfigKeys.DATANODE_DEAD_TIMEOUT_MS_KEY, "" + DEAD_AFTER_MS);
    masters.setProperty(MasterConfigKeys.ORPHAN_GRACE_MS_KEY, "" + ORPHAN_GRACE_MS);
    masters.setProperty(MasterConfigKeys.REPAIR_COPY_TIMEOUT_MS_KEY, "5000");
    masters.setProperty(MasterConfigKeys.BLOCK_SIZE_MIN_KEY, Long.toString(BLOCK));
    masters.putAll(extra);
    UnaryOperator<io.raftfs.data.config.DataNodeConfig.Builder> nodes =
        // A pass every second: the scrubber test must not wait for the default two weeks.
        node ->
            node.scrubberBytesPerSecond(scrubberBytesPerSecond)
                .scrubberPeriod(Duration.ofSeconds(1));
    cluster =
        MiniRaftfsCluster.builder()
            .dataNodes(4)
            .masterSettings(masters)
            .dataNodeSettings(nodes)
            .build()
            .start(dir.resolve("cluster"));
    client = cluster.newClient();
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void blocksOfAKilledDataNodeGetThreeLiveReplicasAgainAndReadBackIdentical() throws Exception {
    start(0);
    Path original = TestFiles.random(dir.resolve("original"), 40 * BLOCK + 7, 1);
    client.put(original, "/f", R3, TransferListener.NONE);
    int victim = index(client.locate("/f").getBlocks(0).getReplicas(0).getNodeId());

    cluster.dataNodes().stop(victim);

    awaitFullyReplicated(List.of("/f"), running(victim));
    assertReadsBack(original, "/f");
  }

  @Test
  void aReplicaWithFlippedBytesIsFoundByTheScrubberAndReplacedByAGoodCopy() throws Exception {
    start(32 << 20);
    Path original = TestFiles.random(dir.resolve("original"), 6 * BLOCK, 2);
    client.put(original, "/f", R3, TransferListener.NONE);
    LocatedBlock block = client.locate("/f").getBlocks(3);
    int damaged = index(block.getReplicas(1).getNodeId());
    Path replica = layout(damaged).dataFile(block.getBlock().getBlockId());

    flipByte(replica, 70_000);

    Await.until(
        REPAIRED,
        "the corrupt replica to be deleted",
        () -> !Files.exists(replica) && fsck().getHealthy());
    assertEquals(1, cluster.dataNodes().node(damaged).scrubStats().corruptFound());
    assertEquals(3, holders(block.getBlock().getBlockId(), running(-1)).size());
    assertReadsBack(original, "/f");
  }

  @Test
  void aReadThatMeetsACorruptReplicaReturnsTheRightBytesAndTheReplicaIsReplaced() throws Exception {
    start(0);
    Path original = TestFiles.random(dir.resolve("original"), 3 * BLOCK + 5, 3);
    client.put(original, "/f", R3, TransferListener.NONE);
    LocatedBlock block = client.locate("/f").getBlocks(1);
    // The first replica listed is the one a reader tries first.
    int damaged = index(block.getReplicas(0).getNodeId());
    Path replica = layout(damaged).dataFile(block.getBlock().getBlockId());
    flipByte(replica, 3);

    assertReadsBack(original, "/f");

    Await.until(
        REPAIRED,
        "the reported replica to be replaced and deleted",
        () -> !Files.exists(replica) && fsck().getHealthy());
    assertEquals(0, cluster.dataNodes().node(damaged).scrubStats().bytesScanned());
    assertEquals(3, holders(block.getBlock().getBlockId(), running(-1)).size());
  }

  @Test
  void blocksOfAnUploadKilledBeforeCommitAreDeletedFromEveryNodeAfterTheGracePeriod()
      throws Exception {
    start(0);
    Path kept = TestFiles.random(dir.resolve("kept"), 2 * BLOCK, 4);
    client.put(kept, "/kept", R3, TransferListener.NONE);
    List<Long> keptBlocks = blockIds("/kept");
    long putStarted = System.nanoTime();

    // What a client killed between its last block and the commit leaves: stored, unreferenced.
    Path lost = TestFiles.random(dir.resolve("lost"), 5 * BLOCK, 9);
    List<BlockInfo> orphans;
    try (MetaClient meta = cluster.newMetaClient();
        SliceSource source = SliceSource.of(lost, BLOCK)) {
      ExecutorService pool = Executors.newCachedThreadPool();
      try {
        orphans =
            new FileUpload(
                    meta,
                    new DataNodeClient(cluster.clientConfig()),
                    new PlacementReserve(meta, System::nanoTime),
                    pool,
                    ClientConfig.DEFAULTS)
                .upload(source, "/never", 3, false, n -> {});
      } finally {
        pool.shutdownNow();
      }
    }
    assertEquals(5, orphans.size());
    for (BlockInfo orphan : orphans) {
      assertEquals(3, holders(orphan.getBlockId(), running(-1)).size());
    }

    // A node deletes a block's data file, then its sidecar: wait for both, not for the first.
    Await.until(
        REPAIRED,
        "only the committed file's replicas (data file + sidecar each) to be left",
        () ->
            orphans.stream().allMatch(orphan -> holders(orphan.getBlockId(), running(-1)).isEmpty())
                && blockFileCount() == keptBlocks.size() * 3 * 2);
    long tookMillis = (System.nanoTime() - putStarted) / 1_000_000;
    assertTrue(tookMillis >= ORPHAN_GRACE_MS, "orphans lived their grace period: " + tookMillis);
    for (long id : keptBlocks) {
      assertEquals(3, holders(id, running(-1)).size(), "block " + id + " of /kept");
    }
    assertReadsBack(kept, "/kept");
  }

  /** What a client that stalls between its upload and its commit leaves: stored, unreferenced. */
  private List<BlockInfo> uploadWithoutCommit(Path file, String path) throws IOException {
    try (MetaClient meta = cluster.newMetaClient();
        SliceSource source = SliceSource.of(file, BLOCK)) {
      ExecutorService pool = Executors.newCachedThreadPool();
      try {
        return new FileUpload(
                meta,
                new DataNodeClient(cluster.clientConfig()),
                new PlacementReserve(meta, System::nanoTime),
                pool,
                ClientConfig.DEFAULTS)
            .upload(source, path, 3, false, n -> {});
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void aCommitNamingBlocksWhoseOrphanReplicasWereDeletedIsRefusedNeverAcknowledged()
      throws Exception {
    start(0);
    Path slow = TestFiles.random(dir.resolve("slow"), 2 * BLOCK, 11);
    List<BlockInfo> blocks = uploadWithoutCommit(slow, "/slow");
    Await.until(
        REPAIRED,
        "the leader to delete the uncommitted replicas after the grace period",
        () ->
            blocks.stream().allMatch(block -> holders(block.getBlockId(), running(-1)).isEmpty()));

    try (MetaClient meta = cluster.newMetaClient()) {
      BlocksRetiredException refused =
          assertThrows(
              BlocksRetiredException.class,
              () -> meta.commitFile("/slow", blocks, 3, BLOCK, false),
              "the commit of blocks whose replicas are gone");
      assertTrue(refused.getMessage().contains("/slow"), refused.getMessage());
    }
    assertThrows(PathNotFoundException.class, () -> client.stat("/slow"));
  }

  @Test
  void aSmallPutWhoseReservedPlacementWasRetiredIsUploadedAgainAndReadsBack() throws Exception {
    start(0);
    // A client whose reserved placements outlive the grace period, as a loaded one's did.
    ClientConfig patient =
        cluster.clientConfig().toBuilder()
            .set(ClientConfigKeys.Placement.Reserve.MAX_AGE, Duration.ofMinutes(10))
            .build();
    try (FileSystemClient slowClient = new FileSystemClient(cluster.masterAddresses(), patient)) {
      byte[] small = "small file, kept\n".repeat(60).getBytes(StandardCharsets.UTF_8);
      PutOptions options = new PutOptions(3, BLOCK, false);
      slowClient.put(new ByteArrayInputStream(small), "/first", options, TransferListener.NONE);
      // Fetches two placements: one for this put, one kept in the reserve for the next.
      slowClient.put(new ByteArrayInputStream(small), "/second", options, TransferListener.NONE);
      // A younger orphan: once the leader deleted it, every id handed out before is retired too.
      long orphan =
          uploadWithoutCommit(TestFiles.random(dir.resolve("orphan"), BLOCK, 12), "/never")
              .get(0)
              .getBlockId();
      Await.until(
          REPAIRED,
          "the orphan's replicas to be deleted",
          () -> holders(orphan, running(-1)).isEmpty());

      // Uploads to the kept (retired) placement, is refused at the commit, uploads again.
      slowClient.put(new ByteArrayInputStream(small), "/small", options, TransferListener.NONE);
      long committed = blockIds("/small").get(0);
      assertTrue(committed > orphan, "a fresh block, not the retired one: " + committed);
      ByteArrayOutputStream read = new ByteArrayOutputStream();
      slowClient.get("/small", read, TransferListener.NONE);
      assertArrayEquals(small, read.toByteArray());
    }
  }

  @Test
  void aLongStreamPutSlowerThanTheGracePeriodFailsClearlyAndStoresNothing() throws Exception {
    start(0);
    // Too long to keep in memory, so it cannot be uploaded again: the put fails, names the cause.
    int stallAt = 10 * (int) BLOCK; // past the first MiB the client holds in memory
    byte[] large = new byte[12 * (int) BLOCK];
    new java.util.Random(13).nextBytes(large);
    InputStream stalling =
        new ByteArrayInputStream(large) {
          private boolean stalled;

          @Override
          public synchronized int read(byte[] b, int off, int len) {
            if (!stalled && pos + len > stallAt) {
              stalled = true;
              Await.until(
                  REPAIRED, "some blocks of the put to be stored", () -> blockFileCount() > 0);
              Await.until(
                  REPAIRED,
                  "the leader to delete them as orphans while the client stalls",
                  () -> blockFileCount() == 0);
            }
            return super.read(b, off, len);
          }
        };
    BlocksRetiredException refused =
        assertThrows(
            BlocksRetiredException.class,
            () -> client.put(stalling, "/large", R3, TransferListener.NONE));
    assertTrue(refused.getMessage().contains("/large"), refused.getMessage());
    assertThrows(PathNotFoundException.class, () -> client.stat("/large"));
  }

  @Test
  void deletingAFileRemovesItsBlocksFromEveryDataNode() throws Exception {
    start(0);
    Path original = TestFiles.random(dir.resolve("original"), 10 * BLOCK, 5);
    client.put(original, "/doomed", R3, TransferListener.NONE);
    List<Long> blocks = blockIds("/doomed");
    assertEquals(10 * 3, blocks.stream().mapToInt(id -> holders(id, running(-1)).size()).sum());

    client.delete("/doomed", false);

    Await.until(
        REPAIRED,
        "no data node to hold a block of the deleted file",
        () -> blocks.stream().allMatch(id -> holders(id, running(-1)).isEmpty()));
    Await.until(REPAIRED, "empty block directories", () -> blockFileCount() == 0);
  }

  @Test
  void aDecommissionedNodeEndsUpHoldingNothingAnyFileNeeds() throws Exception {
    start(0);
    Path a = TestFiles.random(dir.resolve("a"), 12 * BLOCK, 6);
    Path b = TestFiles.random(dir.resolve("b"), 5 * BLOCK + 1, 7);
    client.put(a, "/a", R3, TransferListener.NONE);
    client.put(b, "/b", new PutOptions(2, BLOCK, false), TransferListener.NONE);
    int drained = index(client.locate("/a").getBlocks(0).getReplicas(0).getNodeId());
    String nodeId = cluster.dataNodes().node(drained).nodeId();

    client.decommission(nodeId);

    DataNodeStatus status =
        Await.value(
            REPAIRED,
            nodeId + " to be DECOMMISSIONED",
            () -> {
              DataNodeStatus node = dataNode(client.clusterStatus(), nodeId);
              return node.getAdminState().equals("DECOMMISSIONED") ? node : null;
            });
    assertEquals(0, status.getBlocksToDrain());
    for (String master : cluster.masterAddresses()) {
      // Every master answers cluster status itself, followers too: all must agree.
      try (MetaClient one =
          new MetaClient(
              List.of(master),
              MetaClientOptions.DEFAULTS,
              cluster.masters().rootKey(),
              cluster.masters().clientTls())) {
        Await.until(
            REPAIRED,
            master + " to report " + nodeId + " DECOMMISSIONED",
            () -> dataNode(one.clusterStatus(), nodeId).getAdminState().equals("DECOMMISSIONED"));
      }
    }
    cluster.dataNodes().stop(drained);
    Await.until(REPAIRED, "the masters to see " + nodeId + " dead", () -> !isAlive(nodeId));
    FsckReport report = fsck();
    assertTrue(report.getHealthy(), report::toString);
    awaitFullyReplicated(List.of("/a", "/b"), running(drained));
    assertReadsBack(a, "/a");
    assertReadsBack(b, "/b");
  }

  @Test
  void reReplicationInterruptedByALeaderChangeStillEndsFullyReplicated() throws Exception {
    Properties slow = new Properties();
    slow.setProperty(MasterConfigKeys.REPAIR_MAX_COPIES_PER_NODE_KEY, "1");
    start(0, slow);
    Path original = TestFiles.random(dir.resolve("original"), 60 * BLOCK, 8);
    client.put(original, "/f", R3, TransferListener.NONE);
    int victim = index(client.locate("/f").getBlocks(0).getReplicas(0).getNodeId());

    cluster.dataNodes().stop(victim);
    Await.until(
        REPAIRED, "re-replication to start", () -> client.clusterStatus().getPendingCopies() > 0);
    int leader = cluster.masters().awaitLeader();
    cluster.masters().stop(leader);

    awaitFullyReplicated(List.of("/f"), running(victim));
    assertReadsBack(original, "/f");
  }

  // ---------------------------------------------------------------- helpers

  /** fsck healthy, and every block of these files on disk of at least its replication nodes. */
  private void awaitFullyReplicated(List<String> paths, List<Integer> running) {
    Await.until(
        REPAIRED,
        "every block of " + paths + " on enough running data nodes, fsck healthy",
        () -> {
          if (!fsck().getHealthy()) {
            return false;
          }
          for (String path : paths) {
            BlockLocations file = client.locate(path);
            for (LocatedBlock block : file.getBlocksList()) {
              if (holders(block.getBlock().getBlockId(), running).size()
                  < file.getStatus().getReplication()) {
                return false;
              }
            }
          }
          return true;
        });
  }

  private FsckReport fsck() {
    return client.fsck("/");
  }

  private void assertReadsBack(Path original, String path) throws IOException {
    Path copy = dir.resolve("copy-" + System.nanoTime());
    client.get(path, copy, false, TransferListener.NONE);
    assertEquals(TestFiles.sha256(original), TestFiles.sha256(copy), path);
  }

  private List<Long> blockIds(String path) {
    return client.locate(path).getBlocksList().stream()
        .map(block -> block.getBlock().getBlockId())
        .toList();
  }

  /** Indexes of the running nodes (all but {@code stopped}) that hold the block on disk. */
  private List<Integer> holders(long blockId, List<Integer> running) {
    List<Integer> holders = new ArrayList<>();
    for (int i : running) {
      if (BlockFiles.holds(cluster.dataNodes().dir(i), blockId)) {
        holders.add(i);
      }
    }
    return holders;
  }

  private List<Integer> running(int stopped) {
    List<Integer> running = new ArrayList<>();
    for (int i = 0; i < cluster.dataNodes().size(); i++) {
      if (i != stopped) {
        running.add(i);
      }
    }
    return running;
  }

  /** Data files and sidecars on every node's disk. */
  private int blockFileCount() {
    int count = 0;
    for (int i = 0; i < cluster.dataNodes().size(); i++) {
      count += BlockFiles.blockFiles(cluster.dataNodes().dir(i)).size();
    }
    return count;
  }

  private BlockLayout layout(int node) {
    return new BlockLayout(cluster.dataNodes().dir(node));
  }

  private int index(String nodeId) {
    DataNodeFixture nodes = cluster.dataNodes();
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.node(i).nodeId().equals(nodeId)) {
        return i;
      }
    }
    throw new AssertionError("no data node " + nodeId);
  }

  private boolean isAlive(String nodeId) {
    return dataNode(client.clusterStatus(), nodeId).getAlive();
  }

  private static DataNodeStatus dataNode(ClusterStatus status, String nodeId) {
    return status.getDataNodesList().stream()
        .filter(node -> node.getNodeId().equals(nodeId))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no data node " + nodeId + " in " + status));
  }

  private static void flipByte(Path file, long offset) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(offset);
      int b = raf.read();
      raf.seek(offset);
      raf.write(b ^ 0x10);
    }
  }
}
