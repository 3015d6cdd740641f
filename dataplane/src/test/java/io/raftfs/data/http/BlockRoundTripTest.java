package io.raftfs.data.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.data.testing.BlockClient;
import io.raftfs.data.testing.BlockClient.Download;
import io.raftfs.data.testing.BlockClient.Reply;
import io.raftfs.data.testing.BlockFiles;
import io.raftfs.data.testing.BlockPattern;
import io.raftfs.data.testing.DataNodeFixture;
import io.raftfs.protocol.DataNodeProtocol;
import io.raftfs.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** One data node: blocks of every awkward size go in and come back byte for byte. */
class BlockRoundTripTest {
  private static final int CHUNK = 64 * 1024;

  @TempDir static Path dir;
  private static Vertx vertx;
  private static DataNodeFixture nodes;
  private static BlockClient client;
  private static String node;
  private static long nextId = 10_000;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    nodes = DataNodeFixture.start(vertx, dir, 1);
    client = new BlockClient(vertx);
    node = nodes.addresses().get(0);
  }

  @AfterAll
  static void stop() {
    client.close();
    nodes.close();
    vertx.close().await();
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3L * CHUNK + 7})
  void storedBlockReadsBackIdentically(long size) {
    long id = 1000 + size;
    BlockPattern pattern = new BlockPattern(size, size);

    Reply put = client.put(node, id, pattern, List.of()).await();
    assertEquals(201, put.status(), put.json().encode());
    assertEquals(id, put.json().getLong("blockId"));
    assertEquals(size, put.json().getLong("length"));
    assertEquals(pattern.crc32c(), put.json().getLong("crc32c"));
    assertEquals(new JsonArray().add(node), put.json().getJsonArray("replicas"));

    Download get = client.get(node, id, pattern, null).await();
    assertEquals(200, get.status());
    assertEquals(size, get.length());
    assertTrue(get.matchesPattern());
    assertEquals(pattern.crc32c(), get.headerCrc32c());

    Reply head = client.head(node, id).await();
    assertEquals(200, head.status());
    assertEquals(Long.toString(size), head.headers().get("Content-Length"));
    assertEquals(Long.toString(pattern.crc32c()), head.headers().get(DataNodeProtocol.CRC32C));
  }

  @Test
  void hundredMebibyteBlockStreamsInAndOut() {
    long size = 100L << 20;
    BlockPattern pattern = new BlockPattern(7, size);
    Reply put = client.put(node, 77, pattern, List.of()).await();
    assertEquals(201, put.status(), put.json().encode());

    Download get = client.get(node, 77, pattern, null).await();
    assertEquals(size, get.length());
    assertEquals(pattern.crc32c(), get.crc32c());
    assertTrue(get.matchesPattern());
  }

  @ParameterizedTest
  @CsvSource({
    "bytes=0-65535, 0, 65536",
    "bytes=65535-65536, 65535, 2",
    "bytes=65536-, 65536, 131080",
    "bytes=131071-131072, 131071, 2",
    "bytes=-10, 196606, 10",
    "bytes=196600-999999, 196600, 16",
  })
  void rangeReadsAcrossChunkBoundariesReturnExactlyThoseBytes(
      String range, long offset, long length) {
    long size = 3L * CHUNK + 8;
    long id = nextId++;
    BlockPattern pattern = new BlockPattern(3, size);
    assertEquals(201, client.put(node, id, pattern, List.of()).await().status());

    Download get = client.get(node, id, pattern, range).await();
    assertEquals(206, get.status());
    assertEquals(length, get.length());
    assertTrue(get.matchesPattern(), "content of " + range);
    assertEquals(
        "bytes " + offset + "-" + (offset + length - 1) + "/" + size,
        get.headers().get("Content-Range"));
    assertEquals(pattern.crc32c(), get.headerCrc32c(), "CRC header is the whole block's");
  }

  @ParameterizedTest
  @ValueSource(strings = {"bytes=100-", "bytes=50-40", "bytes=abc", "items=0-1", "bytes=0-1,5-6"})
  void unsatisfiableRangeIs416(String range) {
    BlockPattern pattern = new BlockPattern(1, 100);
    long id = nextId++;
    client.put(node, id, pattern, List.of()).await();
    Download get = client.get(node, id, pattern, range).await();
    assertEquals(416, get.status());
    assertEquals("bytes */100", get.headers().get("Content-Range"));
  }

  @Test
  void secondUploadOfSameBlockIsConflictAndKeepsTheFirst() {
    BlockPattern first = new BlockPattern(1, 1000);
    assertEquals(201, client.put(node, 42, first, List.of()).await().status());
    Reply again = client.put(node, 42, new BlockPattern(2, 1000), List.of()).await();
    assertEquals(409, again.status());
    assertTrue(again.json().getString("error").contains("already stored"));
    assertTrue(client.get(node, 42, first, null).await().matchesPattern());
  }

  @Test
  void deleteRemovesBlockAndItsFiles() {
    BlockPattern pattern = new BlockPattern(5, 200_000);
    int before = BlockFiles.blockFiles(nodes.dir(0)).size();
    client.put(node, 43, pattern, List.of()).await();
    assertEquals(before + 2, BlockFiles.blockFiles(nodes.dir(0)).size(), "data file and sidecar");

    assertEquals(204, client.delete(node, 43).await().status());
    assertEquals(404, client.delete(node, 43).await().status());
    assertEquals(404, client.get(node, 43, pattern, null).await().status());
    assertEquals(before, BlockFiles.blockFiles(nodes.dir(0)).size());
  }

  @Test
  void deleteRemovesAPackedBlock() {
    BlockPattern pattern = new BlockPattern(6, 5000);
    int before = BlockFiles.blockFiles(nodes.dir(0)).size();
    client.put(node, 44, pattern, List.of()).await();
    assertEquals(before + 1, BlockFiles.blockFiles(nodes.dir(0)).size(), "one pack record");

    assertEquals(204, client.delete(node, 44).await().status());
    assertEquals(404, client.get(node, 44, pattern, null).await().status());
    // The tombstone is appended after the answer, with the node's next group of writes.
    Await.until(
        Duration.ofSeconds(10),
        "a tombstone hides the deleted block",
        () -> BlockFiles.blockFiles(nodes.dir(0)).size() == before);
  }

  @Test
  void largestUnsignedIdIsAValidBlockId() {
    BlockPattern pattern = new BlockPattern(9, 10);
    Reply put = client.put(node, -1L, pattern, List.of()).await();
    assertEquals(201, put.status());
    assertEquals("18446744073709551615", put.json().getValue("blockId").toString());
    assertTrue(client.get(node, -1L, pattern, null).await().matchesPattern());
  }

  @Test
  void statusAndHealthDescribeTheNode() {
    Reply health = client.request(HttpMethod.GET, node, "/health").await();
    assertEquals(200, health.status());
    Reply status = client.request(HttpMethod.GET, node, "/status").await();
    assertEquals(200, status.status());
    assertEquals(nodes.node(0).nodeId(), status.json().getString("nodeId"));
    assertEquals(node, status.json().getString("httpAddress"));
    assertTrue(status.json().getLong("capacityBytes") > 0);
    assertTrue(status.json().getLong("freeBytes") > 0);
    assertTrue(status.json().containsKey("usedBytes"));
    assertTrue(status.json().containsKey("blockCount"));
  }
}
