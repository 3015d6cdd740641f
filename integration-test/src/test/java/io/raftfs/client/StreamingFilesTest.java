package io.raftfs.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.raftfs.client.meta.PathExistsException;
import io.raftfs.client.meta.PathNotFoundException;
import io.raftfs.client.transfer.BlockOutputStream;
import io.raftfs.client.transfer.PositionedReader;
import io.raftfs.proto.FileStatus;
import io.raftfs.testing.cluster.MiniRaftfsCluster;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link FileSystemClient#create} streams and {@link FileSystemClient#open} positioned reads. */
class StreamingFilesTest {
  private static final int BLOCK = 1 << 20;
  private static final PutOptions SMALL_BLOCKS = new PutOptions(3, BLOCK, false);

  @RegisterExtension
  static final MiniRaftfsCluster cluster = MiniRaftfsCluster.builder().dataNodes(3).build();

  private static FileSystemClient client;

  @BeforeAll
  static void connect() {
    client = cluster.newClient();
    client.mkdir("/s", true);
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1, 65_536, BLOCK, 3 * BLOCK + 777})
  void aStreamedFileAppearsOnCloseAndReadsBackAtAnyPosition(int length) throws IOException {
    byte[] data = random(length, length);
    String path = "/s/streamed-" + length;
    BlockOutputStream out = client.create(path, SMALL_BLOCKS);
    // Odd-sized writes cross the block boundaries at every offset.
    for (int at = 0; at < length; at += 100_003) {
      out.write(data, at, Math.min(100_003, length - at));
    }
    assertThrows(PathNotFoundException.class, () -> client.stat(path), "visible before close");
    out.close();

    FileStatus status = client.stat(path);
    assertEquals(length, status.getLength());
    assertEquals(status, out.committed());
    PositionedReader file = client.open(path);
    byte[] whole = new byte[length];
    file.readFully(0, whole, 0, length);
    assertArrayEquals(data, whole);
    if (length > 2) {
      int from = length / 3;
      int span = Math.min(length - from, BLOCK + 10);
      byte[] part = new byte[span];
      file.readFully(from, part, 0, span);
      assertArrayEquals(Arrays.copyOfRange(data, from, from + span), part);
      ByteBuffer async = file.readAsync(from, span, ByteBuffer::allocate).join();
      assertEquals(ByteBuffer.wrap(data, from, span), async);
    }
    assertEquals(-1, file.read(length, new byte[1], 0, 1));
    assertThrows(EOFException.class, () -> file.readFully(length, new byte[1], 0, 1));
  }

  @Test
  void aReadStopsAtTheEndOfItsBlock() throws IOException {
    byte[] data = random(2 * BLOCK, 7);
    try (BlockOutputStream out = client.create("/s/two-blocks", SMALL_BLOCKS)) {
      out.write(data);
    }
    byte[] buffer = new byte[1000];
    int n = client.open("/s/two-blocks").read(BLOCK - 10, buffer, 0, buffer.length);
    assertEquals(10, n);
    assertArrayEquals(Arrays.copyOfRange(data, BLOCK - 10, BLOCK), Arrays.copyOf(buffer, 10));
  }

  @Test
  void anAbortedStreamCommitsNothing() throws IOException {
    BlockOutputStream out = client.create("/s/aborted", SMALL_BLOCKS);
    out.write(random(2 * BLOCK + 5, 3));
    out.abort();
    out.close();
    assertThrows(PathNotFoundException.class, () -> client.stat("/s/aborted"));
  }

  @Test
  void withoutOverwriteTheCloseOfASecondStreamIsRefusedAndTheFirstFileStays() throws IOException {
    try (BlockOutputStream out = client.create("/s/once", SMALL_BLOCKS)) {
      out.write(1);
    }
    BlockOutputStream second = client.create("/s/once", SMALL_BLOCKS);
    second.write(new byte[] {2, 2});
    assertThrows(PathExistsException.class, second::close);
    assertEquals(1, client.stat("/s/once").getLength());

    try (BlockOutputStream third =
        client.create("/s/once", new PutOptions(3, BLOCK, /* overwrite= */ true))) {
      third.write(new byte[] {3, 3, 3});
    }
    assertEquals(3, client.stat("/s/once").getLength());
  }

  private static byte[] random(int length, long seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }
}
