package io.raftfs.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.client.config.ClientConfig;
import io.raftfs.client.meta.IsADirectoryException;
import io.raftfs.client.meta.MetaClient;
import io.raftfs.client.meta.PathExistsException;
import io.raftfs.client.meta.PathNotFoundException;
import io.raftfs.client.transfer.DataNodeClient;
import io.raftfs.client.transfer.FileUpload;
import io.raftfs.client.transfer.PlacementReserve;
import io.raftfs.client.transfer.SliceSource;
import io.raftfs.client.transfer.Transfers;
import io.raftfs.data.store.BlockLayout;
import io.raftfs.proto.FileStatus;
import io.raftfs.proto.LocatedBlock;
import io.raftfs.testing.cluster.MiniRaftfsCluster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Put and get against three real masters and three real data nodes. */
class FileSystemClientTest {
  private static final long BLOCK = 1 << 20;
  private static final PutOptions ONE_MIB_BLOCKS = new PutOptions(3, BLOCK, false);

  @TempDir static Path clusterDir;
  @TempDir Path local;

  private static MiniRaftfsCluster cluster;
  private static FileSystemClient client;

  @BeforeAll
  static void startCluster() {
    cluster = MiniRaftfsCluster.builder().dataNodes(3).build().start(clusterDir);
    client = cluster.newClient();
    client.mkdir("/t", true);
  }

  @AfterAll
  static void stopCluster() {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(longs = {0, 1, BLOCK - 1, BLOCK, BLOCK + 1, 10 * BLOCK + 12345})
  void aFileComesBackByteForByteAsBlocksOfTheGivenSize(long length) throws IOException {
    Path original = TestFiles.random(local.resolve("original"), length, length);
    String path = "/t/file-" + length;

    FileStatus stored = client.put(original, path, ONE_MIB_BLOCKS, TransferListener.NONE);
    Path copy = local.resolve("copy");
    client.get(path, copy, false, TransferListener.NONE);

    assertEquals(TestFiles.sha256(original), TestFiles.sha256(copy));
    assertEquals(length, stored.getLength());
    assertEquals((length + BLOCK - 1) / BLOCK, stored.getChildren(), "blocks");
    assertEquals(3, stored.getReplication());
    assertEquals(BLOCK, stored.getBlockSize());
  }

  @Test
  void aFileOfSeveralDefaultSizeBlocksComesBackByteForByte() throws IOException {
    long length = 5 * PutOptions.DEFAULT_BLOCK_SIZE + 77;
    Path original = TestFiles.random(local.resolve("large"), length, 300);

    FileStatus stored =
        client.put(original, "/t/large", PutOptions.defaults(), TransferListener.NONE);
    Path copy = local.resolve("copy");
    client.get("/t/large", copy, false, TransferListener.NONE);

    assertEquals(6, stored.getChildren(), "blocks");
    assertEquals(TestFiles.sha256(original), TestFiles.sha256(copy));
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(longs = {0, 1, 2 * BLOCK, 3 * BLOCK + 7})
  void aStreamComesBackByteForByte(long length) throws IOException {
    byte[] original = Files.readAllBytes(TestFiles.random(local.resolve("s"), length, 7 + length));
    String path = "/t/stream-" + length;

    client.put(new ByteArrayInputStream(original), path, ONE_MIB_BLOCKS, TransferListener.NONE);
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    client.get(path, copy, TransferListener.NONE);

    assertArrayEquals(original, copy.toByteArray());
    assertEquals(length, client.stat(path).getLength());
  }

  @Test
  void aStreamOfBlocksTooLargeToHoldInMemoryComesBackByteForByte() throws IOException {
    long blockSize = 2L * Transfers.IN_MEMORY_BLOCK_BYTES;
    byte[] original =
        Files.readAllBytes(TestFiles.random(local.resolve("big"), 2 * blockSize + 5, 13));

    client.put(
        new ByteArrayInputStream(original),
        "/t/stream-big",
        new PutOptions(2, blockSize, false),
        TransferListener.NONE);
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    client.get("/t/stream-big", copy, TransferListener.NONE);

    assertArrayEquals(original, copy.toByteArray());
  }

  @Test
  void progressAddsUpToTheFileLengthInBothDirections() throws IOException {
    Path original = TestFiles.random(local.resolve("p"), 5 * BLOCK + 3, 11);
    Counting put = new Counting();
    client.put(original, "/t/progress", ONE_MIB_BLOCKS, put);
    Counting get = new Counting();
    client.get("/t/progress", local.resolve("p2"), false, get);

    assertEquals(5 * BLOCK + 3, put.total.get());
    assertEquals(5 * BLOCK + 3, put.moved.get());
    assertEquals(5 * BLOCK + 3, get.moved.get());
  }

  @Test
  void aOneBlockFileIsUploadedOnTheCallersThreadALargerOneOnPoolThreads() throws Exception {
    AtomicInteger tasks = new AtomicInteger();
    ExecutorService counting =
        new ThreadPoolExecutor(0, 16, 1, TimeUnit.SECONDS, new SynchronousQueue<>()) {
          @Override
          public void execute(Runnable task) {
            tasks.incrementAndGet();
            super.execute(task);
          }
        };
    try (MetaClient meta = cluster.newMetaClient()) {
      FileUpload upload =
          new FileUpload(
              meta,
              new DataNodeClient(cluster.clientConfig()),
              new PlacementReserve(meta, System::nanoTime),
              counting,
              ClientConfig.DEFAULTS);
      byte[] small = new byte[4096];
      try (SliceSource source = SliceSource.of(new ByteArrayInputStream(small), BLOCK)) {
        assertEquals(1, upload.upload(source, "/t/lone", 3, false, n -> {}).size());
      }
      assertEquals(0, tasks.get(), "one block: uploaded by the caller");

      Path three = TestFiles.random(local.resolve("three"), 2 * BLOCK + 1, 5);
      try (SliceSource source = SliceSource.of(three, BLOCK)) {
        assertEquals(3, upload.upload(source, "/t/three", 3, false, n -> {}).size());
      }
      assertEquals(3, tasks.get(), "three blocks: uploaded in parallel by the pool");
    } finally {
      counting.shutdownNow();
    }
  }

  @Test
  void putRefusesAnExistingFileUnlessOverwriting() throws IOException {
    Path first = TestFiles.random(local.resolve("a"), 1000, 1);
    Path second = TestFiles.random(local.resolve("b"), 3 * BLOCK, 2);
    client.put(first, "/t/replaced", ONE_MIB_BLOCKS, TransferListener.NONE);

    Counting refused = new Counting();
    assertThrows(
        PathExistsException.class,
        () -> client.put(second, "/t/replaced", ONE_MIB_BLOCKS, refused));
    assertEquals(0, refused.moved.get(), "the block allocation refuses before any byte is sent");
    client.put(second, "/t/replaced", new PutOptions(2, BLOCK, true), TransferListener.NONE);

    Path copy = local.resolve("copy");
    client.get("/t/replaced", copy, false, TransferListener.NONE);
    assertEquals(TestFiles.sha256(second), TestFiles.sha256(copy));
    assertEquals(2, client.stat("/t/replaced").getReplication());
  }

  @Test
  void getRefusesAnExistingLocalFileUnlessOverwriting() throws IOException {
    Path original = TestFiles.random(local.resolve("o"), 100, 3);
    client.put(original, "/t/local-exists", ONE_MIB_BLOCKS, TransferListener.NONE);
    Path target = Files.writeString(local.resolve("target"), "keep me");

    assertThrows(
        FileAlreadyExistsException.class,
        () -> client.get("/t/local-exists", target, false, TransferListener.NONE));
    assertEquals("keep me", Files.readString(target));

    client.get("/t/local-exists", target, true, TransferListener.NONE);
    assertEquals(TestFiles.sha256(original), TestFiles.sha256(target));
  }

  @Test
  void aFailedGetLeavesNoFileBehind() throws IOException {
    Path target = local.resolve("never");
    assertThrows(
        PathNotFoundException.class,
        () -> client.get("/t/missing", target, false, TransferListener.NONE));
    assertThrows(
        IsADirectoryException.class, () -> client.get("/t", target, false, TransferListener.NONE));
    try (var files = Files.list(local)) {
      assertEquals(List.of(), files.toList());
    }
  }

  @Test
  void aCorruptReplicaIsSkippedAndTheFileReadsBackIntact() throws IOException {
    Path original = TestFiles.random(local.resolve("c"), 2 * BLOCK, 9);
    client.put(original, "/t/corrupt", ONE_MIB_BLOCKS, TransferListener.NONE);
    LocatedBlock first = client.locate("/t/corrupt").getBlocks(0);
    int node = cluster.dataNodes().addresses().indexOf(first.getReplicas(0).getHttpAddress());
    Path data =
        new BlockLayout(cluster.dataNodes().dir(node)).dataFile(first.getBlock().getBlockId());
    try (FileChannel channel = FileChannel.open(data, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap(new byte[] {42, 42, 42, 42}), 1000);
    }

    Path copy = local.resolve("copy");
    client.get("/t/corrupt", copy, false, TransferListener.NONE);

    assertEquals(TestFiles.sha256(original), TestFiles.sha256(copy));
  }

  @Test
  void aPositionedReadSkipsACorruptReplicaChunkByChunk() throws IOException {
    Path original = TestFiles.random(local.resolve("r"), 2 * BLOCK, 10);
    client.put(original, "/t/corrupt-range", ONE_MIB_BLOCKS, TransferListener.NONE);
    LocatedBlock first = client.locate("/t/corrupt-range").getBlocks(0);
    int node = cluster.dataNodes().addresses().indexOf(first.getReplicas(0).getHttpAddress());
    Path data =
        new BlockLayout(cluster.dataNodes().dir(node)).dataFile(first.getBlock().getBlockId());
    // Inside the second 64 KiB checksum chunk: the read below wants bytes of that chunk only.
    long damaged = 70_000;
    try (FileChannel channel = FileChannel.open(data, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap(new byte[] {42, 42, 42, 42}), damaged);
    }

    byte[] read = new byte[100];
    client.open("/t/corrupt-range").readFully(damaged - 10, read, 0, read.length);

    byte[] expected = new byte[100];
    try (FileChannel channel = FileChannel.open(original)) {
      channel.read(ByteBuffer.wrap(expected), damaged - 10);
    }
    assertArrayEquals(expected, read);
  }

  @Test
  void summarizeCountsFilesDirectoriesAndReplicatedBytes() throws IOException {
    client.mkdir("/du/x/y", true);
    client.put(
        TestFiles.random(local.resolve("d1"), 1000, 4),
        "/du/x/one",
        ONE_MIB_BLOCKS,
        TransferListener.NONE);
    client.put(
        TestFiles.random(local.resolve("d2"), 500, 5),
        "/du/x/y/two",
        new PutOptions(1, BLOCK, false),
        TransferListener.NONE);

    assertEquals(new ContentSummary(1500, 3500, 2, 3), client.summarize("/du"));
    assertFalse(client.list("/du/x").isEmpty());
    assertTrue(client.stat("/du/x").getDirectory());
  }

  private static final class Counting implements TransferListener {
    final AtomicLong total = new AtomicLong(-2);
    final AtomicLong moved = new AtomicLong();

    @Override
    public void started(long totalBytes) {
      total.set(totalBytes);
    }

    @Override
    public void transferred(long bytes) {
      moved.addAndGet(bytes);
    }
  }
}
