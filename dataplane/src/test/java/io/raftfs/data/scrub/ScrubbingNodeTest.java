package io.raftfs.data.scrub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.data.DataNode;
import io.raftfs.data.config.DataNodeConfig;
import io.raftfs.data.store.BlockLayout;
import io.raftfs.data.testing.BlockClient;
import io.raftfs.data.testing.BlockClient.OpenUpload;
import io.raftfs.data.testing.BlockPattern;
import io.raftfs.data.testing.DataNodeFixture;
import io.raftfs.testing.Await;
import io.vertx.core.Vertx;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real data node's scrubber on its real timers, with blocks uploaded over HTTP: a short pass
 * period finds a corrupt block among intact ones, a client's transfer in flight stops it, and a
 * restarted node goes on with the pass it was in.
 */
class ScrubbingNodeTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  private Vertx vertx;
  private BlockClient client;
  private DataNodeFixture nodes;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    client = new BlockClient(vertx);
  }

  @AfterEach
  void stop() {
    client.close();
    if (nodes != null) {
      nodes.close();
    }
    vertx.close().await();
  }

  private DataNode node(UnaryOperator<DataNodeConfig.Builder> scrubber) {
    nodes = DataNodeFixture.start(vertx, dir, 1, scrubber);
    return nodes.node(0);
  }

  private void put(DataNode node, long blockId, long length) throws Exception {
    BlockPattern pattern = new BlockPattern(blockId, length);
    int status =
        client
            .put(node.httpAddress(), blockId, pattern, List.of())
            .await(30, TimeUnit.SECONDS)
            .status();
    assertEquals(201, status);
  }

  @Test
  void aShortPeriodChecksEveryBlockAndFindsTheCorruptOne() throws Exception {
    DataNode node =
        node(
            b ->
                b.scrubberPeriod(Duration.ofSeconds(2))
                    .scrubberQuiet(Duration.ofMillis(100))
                    .scrubberBytesPerSecond(64L << 20));
    put(node, 1, 300_000);
    put(node, 2, 300_000);
    put(node, 3, 4096);
    flipByte(new BlockLayout(node.dir()).dataFile(2), 200_000);

    ScrubStats stats =
        Await.until(
            WAIT,
            "a pass over the three blocks",
            node::scrubStats,
            s -> s.passesCompleted() >= 2 && s.corruptFound() == 1);

    assertTrue(stats.blocksScanned() >= 2, stats::toString); // blocks 1 and 3, intact
    assertTrue(stats.bytesScanned() >= 300_000 + 4096, stats::toString);
  }

  @Test
  void noBlockIsReadWhileAClientTransferIsInFlight() throws Exception {
    // Always behind: a pass of 4 MiB at 256 KiB/s takes 16 s and each is due after 1 s.
    DataNode node =
        node(
            b ->
                b.scrubberPeriod(Duration.ofSeconds(1))
                    .scrubberQuiet(Duration.ZERO)
                    .scrubberBytesPerSecond(256 << 10));
    put(node, 1, 4L << 20);
    Await.until(WAIT, "the scrubber to read", () -> node.scrubStats().bytesScanned() > 0);

    OpenUpload upload = client.open(node.httpAddress(), 2, 1 << 20, 0, List.of());
    upload.write(new byte[1]);
    long yields = node.scrubStats().yields();
    Await.until(WAIT, "the scrubber to yield", () -> node.scrubStats().yields() > yields);
    ScrubStats paused = node.scrubStats();
    Await.until(WAIT, "ten ticks more", () -> node.scrubStats().yields() >= paused.yields() + 10);
    assertEquals(paused.bytesScanned(), node.scrubStats().bytesScanned());

    upload.request().reset();
    Await.until(
        WAIT,
        "the scrubber to read again",
        () -> node.scrubStats().bytesScanned() > paused.bytesScanned());
  }

  @Test
  void aRestartedNodeGoesOnWithThePassItWasIn() throws Exception {
    DataNode first = node(b -> b.scrubberPeriod(Duration.ZERO)); // stores, does not scrub
    for (long id = 1; id <= 4; id++) {
      put(first, id, 4096);
    }
    nodes.close();
    // 4 blocks opened (256 KiB each) over 20 s: one about every 5 s, the first at once.
    UnaryOperator<DataNodeConfig.Builder> scrubbing =
        b -> b.scrubberPeriod(Duration.ofSeconds(20)).scrubberQuiet(Duration.ZERO);
    DataNode second = node(scrubbing);
    Await.until(WAIT, "a block checked", () -> second.scrubStats().blocksScanned() >= 1);
    nodes.close();
    long before = second.scrubStats().blocksScanned();
    Path passFile = new BlockLayout(second.dir()).scrubberPassFile();
    String started = started(passFile);

    DataNode third = node(scrubbing);
    Await.until(WAIT, "the pass to end", () -> third.scrubStats().passesCompleted() >= 1);

    assertEquals(started, started(passFile), "the same pass, not a new one");
    assertEquals(4 - before, third.scrubStats().blocksScanned(), "the blocks not yet checked");
  }

  private static String started(Path passFile) throws Exception {
    Optional<String> line =
        Files.readAllLines(passFile).stream().filter(l -> l.startsWith("started=")).findFirst();
    return line.orElseThrow(() -> new AssertionError(passFile + " has no start"));
  }

  private static void flipByte(Path file, long offset) throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(offset);
      int b = f.read();
      f.seek(offset);
      f.write(b ^ 0x10);
    }
  }
}
