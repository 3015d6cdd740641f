package io.raftfs.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The short chaos run of {@code ./mvnw verify}: 3 masters and 4 data nodes as separate JVMs, 4
 * clients, kills, pauses, a full disk, corrupt blocks and garbage requests ({@link GarbageSender})
 * for {@code raftfs.chaos.duration} (default 90 s), fixed seed {@code raftfs.chaos.seed} (default
 * 20261126). Network partitions need {@code -Draftfs.chaos.network=true} (root, network
 * namespaces). The long run is {@code bench/chaos}.
 */
class ChaosTest {

  @Test
  void noAcknowledgedByteIsLost() throws Exception {
    long seed = Long.getLong("raftfs.chaos.seed", 20261126L);
    Duration duration = ChaosRun.parseDuration(System.getProperty("raftfs.chaos.duration", "90s"));
    boolean network = Boolean.getBoolean("raftfs.chaos.network");
    Path dir = Path.of("target", "chaos", "test-" + System.currentTimeMillis()).toAbsolutePath();
    List<History.Violation> violations =
        new ChaosRun(new ChaosRun.Options(duration, seed, 4, 4, network, dir, 4000)).run();
    assertEquals(List.of(), violations, "seed " + seed + ", logs in " + dir);
  }
}
