package io.raftfs.hadoop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.CRC32C;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.CommonPathCapabilities;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileChecksum;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.StreamCapabilities;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.fs.statistics.IOStatisticsSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the contract tests do not cover: locality, read-ahead, refusals, statistics. */
class RaftfsFileSystemTest {
  private static final int BLOCK = 64 << 10;

  private static FileSystem fs;

  @BeforeAll
  static void connect() throws IOException {
    Configuration conf = SharedCluster.withCredentials(new Configuration());
    // Small ranges: a few hundred KiB cross many of them and several blocks.
    conf.set("fs.raftfs.readahead.bytes", "65536");
    conf.set("fs.raftfs.readahead.requests", "3");
    conf.set("fs.raftfs.list.page.size", "3");
    conf.setBoolean("fs.raftfs.impl.disable.cache", true);
    fs = FileSystem.get(SharedCluster.uri(), conf);
  }

  @Test
  void theSchemeIsFoundWithoutFsRaftfsImpl() {
    assertInstanceOf(RaftfsFileSystem.class, fs);
    assertEquals("raftfs", fs.getScheme());
  }

  @Test
  void blockLocationsNameTheDataNodesHoldingEachBlock() throws IOException {
    Path file = new Path("/fs-test/located");
    write(file, random(3 * BLOCK + 10, 1));

    BlockLocation[] all = fs.getFileBlockLocations(fs.getFileStatus(file), 0, Long.MAX_VALUE);
    assertEquals(4, all.length);
    Set<String> dataNodes = Set.copyOf(SharedCluster.get().dataNodes().addresses());
    for (int i = 0; i < all.length; i++) {
      assertEquals((long) i * BLOCK, all[i].getOffset());
      assertEquals(3, all[i].getHosts().length);
      assertEquals(dataNodes, Set.copyOf(Arrays.asList(all[i].getNames())));
      assertEquals(Set.of("127.0.0.1"), Set.copyOf(Arrays.asList(all[i].getHosts())));
    }
    BlockLocation[] middle = fs.getFileBlockLocations(fs.getFileStatus(file), BLOCK + 1, BLOCK);
    assertEquals(List.of((long) BLOCK, 2L * BLOCK), offsets(middle));
  }

  @Test
  void ownersAndPermissionsAreRaftfsOwnAndChangeable() throws IOException {
    Path file = new Path("/fs-test/owned");
    write(file, random(100, 2));
    FileStatus status = fs.getFileStatus(file);
    // The cluster's superuser signs; the client's umask (022) leaves 0644.
    assertEquals("root", status.getOwner());
    assertEquals(new FsPermission((short) 0644), status.getPermission());

    fs.setPermission(file, new FsPermission((short) 0600));
    fs.setOwner(file, "alice", null);

    FileStatus changed = fs.getFileStatus(file);
    assertEquals(new FsPermission((short) 0600), changed.getPermission());
    assertEquals("alice", changed.getOwner());
    assertEquals(status.getGroup(), changed.getGroup());
  }

  @Test
  void sequentialAndSeekingReadsReturnTheFileAndAreCounted() throws IOException {
    byte[] data = random(5 * BLOCK + 999, 2);
    Path file = new Path("/fs-test/read-ahead");
    write(file, data);
    FileSystem.Statistics statistics = FileSystem.getStatistics("raftfs", RaftfsFileSystem.class);
    long readBefore = statistics.getBytesRead();
    Map<String, Long> countersBefore = Map.copyOf(counters());

    byte[] back = new byte[data.length];
    try (FSDataInputStream in = fs.open(file)) {
      for (int at = 0; at < data.length; ) {
        int n = in.read(back, at, Math.min(10_000, data.length - at));
        assertTrue(n > 0);
        at += n;
      }
      assertEquals(-1, in.read());
      assertArrayEquals(data, back);

      in.seek(2 * BLOCK - 3);
      byte[] across = new byte[6];
      in.readFully(across);
      assertArrayEquals(Arrays.copyOfRange(data, 2 * BLOCK - 3, 2 * BLOCK + 3), across);
      assertEquals(2 * BLOCK + 3, in.getPos());
    }
    assertEquals(data.length + 6L, statistics.getBytesRead() - readBefore);
    assertEquals(
        data.length + 6L,
        counters().get("stream_read_bytes") - countersBefore.get("stream_read_bytes"));
    assertEquals(1, counters().get("op_open") - countersBefore.get("op_open"));
  }

  @Test
  void listStatusIteratorPagesThroughTheDirectoryInOrder() throws IOException {
    Path dir = new Path("/fs-test/paged");
    for (int i = 0; i < 10; i++) {
      fs.mkdirs(new Path(dir, "d" + i));
    }
    List<FileStatus> paged = new ArrayList<>();
    RemoteIterator<FileStatus> entries = fs.listStatusIterator(dir);
    while (entries.hasNext()) {
      paged.add(entries.next());
    }
    assertEquals(List.of(fs.listStatus(dir)), paged);
    assertEquals(10, paged.size());
    assertThrows(FileNotFoundException.class, () -> fs.listStatusIterator(new Path(dir, "none")));
  }

  @Test
  void writeOnceFilesRefuseFlushAppendAndConcat() throws IOException {
    Path file = new Path("/fs-test/write-once");
    try (FSDataOutputStream out = fs.create(file, true)) {
      out.write(1);
      assertFalse(out.hasCapability(StreamCapabilities.HFLUSH));
      assertFalse(out.hasCapability(StreamCapabilities.HSYNC));
      assertThrows(UnsupportedOperationException.class, out::hflush);
      assertThrows(UnsupportedOperationException.class, out::hsync);
      assertFalse(fs.exists(file), "visible before close");
    }
    assertEquals(1, fs.getFileStatus(file).getLen());
    assertThrows(UnsupportedOperationException.class, () -> fs.append(file));
    assertThrows(UnsupportedOperationException.class, () -> fs.concat(file, new Path[] {file}));
  }

  @Test
  void renameFollowsHadoopsRules() throws IOException {
    Path dir = new Path("/fs-test/rename");
    fs.mkdirs(new Path(dir, "into"));
    write(new Path(dir, "a"), new byte[] {1});
    write(new Path(dir, "b"), new byte[] {2});

    assertFalse(fs.rename(new Path(dir, "a"), new Path(dir, "b")), "onto an existing file");
    assertFalse(fs.rename(new Path(dir, "missing"), new Path(dir, "c")), "a missing source");
    assertFalse(fs.rename(new Path(dir, "a"), new Path(dir, "no/such/parent")));
    assertTrue(fs.rename(new Path(dir, "a"), new Path(dir, "into")));
    assertTrue(fs.exists(new Path(dir, "into/a")));
  }

  @Test
  void theChecksumIsTheFilesCrc32cWhateverItsBlocks() throws IOException {
    byte[] data = random(3 * BLOCK + 5, 3);
    Path small = new Path("/fs-test/checksum-small-blocks");
    Path large = new Path("/fs-test/checksum-large-blocks");
    write(small, data);
    try (FSDataOutputStream out = fs.create(large, true, 4096, (short) 3, 4L * BLOCK)) {
      out.write(data);
    }
    CRC32C crc = new CRC32C();
    crc.update(data);

    FileChecksum checksum = fs.getFileChecksum(small);
    assertEquals("COMPOSITE-CRC32C", checksum.getAlgorithmName());
    assertEquals((int) crc.getValue(), ByteBuffer.wrap(checksum.getBytes()).getInt());
    assertEquals(checksum, fs.getFileChecksum(large));
    assertTrue(fs.hasPathCapability(small, CommonPathCapabilities.FS_CHECKSUMS));
  }

  private static Map<String, Long> counters() {
    return ((IOStatisticsSource) fs).getIOStatistics().counters();
  }

  private static void write(Path file, byte[] data) throws IOException {
    try (FSDataOutputStream out = fs.create(file, true, 4096, (short) 3, BLOCK)) {
      out.write(data);
    }
  }

  private static List<Long> offsets(BlockLocation[] locations) {
    return Arrays.stream(locations).map(BlockLocation::getOffset).collect(Collectors.toList());
  }

  private static byte[] random(int length, long seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }
}
