package io.raftfs.data.master;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.raftfs.data.access.BlockAccess;
import io.raftfs.data.replication.BlockCopier;
import io.raftfs.data.replication.ForwardTargets;
import io.raftfs.data.schedule.Scheduler;
import io.raftfs.data.store.BlockStore;
import io.raftfs.data.testing.FakeMaster;
import io.raftfs.data.testing.StoredBlocks;
import io.raftfs.data.tls.NodeClient;
import io.raftfs.proto.BlockReport;
import io.raftfs.testing.Await;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blocks stored between two ticks of the incremental report timer reach the masters together, in
 * one report: time is the test's, through a scheduler it ticks by hand.
 */
class IncrementalReportTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration HEARTBEAT = Duration.ofHours(1);
  private static final Duration FULL_REPORT = Duration.ofHours(2);
  private static final Duration INCREMENTAL = Duration.ofHours(3);

  @TempDir Path dir;
  private Vertx vertx;
  private FakeMaster master;
  private BlockStore store;
  private HttpClient client;
  private MasterClient masters;
  private HeartbeatService service;
  private Context context;
  private final Map<Duration, Runnable> timers = new ConcurrentHashMap<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    master = FakeMaster.start(vertx, true);
    store = BlockStore.open(dir, OptionalLong.empty(), 0);
    client = vertx.createHttpClient();
    masters = new MasterClient(List.of(master.address()), null);
    Scheduler byHand =
        (period, task) -> {
          timers.put(period, task);
          return () -> timers.remove(period);
        };
    ForwardTargets targets = ForwardTargets.registeredOnly();
    service =
        new HeartbeatService(
            vertx,
            store,
            new BlockCopier(vertx, NodeClient.plaintext(client), store, targets),
            targets,
            BlockAccess.open(),
            masters,
            byHand,
            "dn-test",
            "127.0.0.1:1",
            HEARTBEAT,
            FULL_REPORT,
            INCREMENTAL);
    context = vertx.getOrCreateContext();
    context.runOnContext(v -> service.start());
    // The first heartbeat's answer sends the full report; after it only the timers send reports.
    Await.until(
        WAIT, "the full report at start", () -> reports().stream().anyMatch(BlockReport::getFull));
  }

  @AfterEach
  void stop() throws Exception {
    service.close();
    masters.close();
    client.close().await(10, TimeUnit.SECONDS);
    master.close();
    store.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void blocksStoredBetweenTwoTicksGoInOneReport() throws Exception {
    for (long blockId = 1; blockId <= 3; blockId++) {
      store(blockId);
    }
    // Ticks run after the three store events, queued before them on the same context. A tick that
    // finds a report still in flight sends nothing, so tick until the blocks arrive.
    Await.until(
        WAIT,
        "the master knows the three blocks",
        () -> {
          context.runOnContext(v -> timers.get(INCREMENTAL).run());
          return master.blocksOf("dn-test").equals(Set.of(1L, 2L, 3L));
        });
    List<BlockReport> incremental = reports().stream().filter(r -> !r.getFull()).toList();
    assertEquals(1, incremental.size(), "incremental reports: " + incremental);
    assertEquals(3, incremental.get(0).getAddedCount());
  }

  private List<BlockReport> reports() {
    return master.reports();
  }

  private void store(long blockId) throws Exception {
    StoredBlocks.store(store, blockId, ("block " + blockId).getBytes());
  }
}
