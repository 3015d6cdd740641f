package io.raftfs.meta.statemachine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.raftfs.proto.DedupEntryImage;
import io.raftfs.proto.MetaResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dedup table changes with applied writes only, identically on every replica. */
class DedupTableTest {
  private static final long EXPIRY = 1000;
  private static final MetaResponse OK = MetaResponse.getDefaultInstance();

  @Test
  void aReadDoesNotChangeWhichClientsExpire() {
    DedupTable table = new DedupTable(EXPIRY);
    table.record("a", 1, 0, OK, 0);
    table.record("b", 1, 0, OK, 500);

    // A leader answering a retry of a's call; followers never see this read.
    assertNotNull(table.answered("a", 1));
    table.expire(1200);

    assertNull(table.answered("a", 1), "a was idle longer than the expiry");
    assertNotNull(table.answered("b", 1));
  }

  @Test
  void aWriteMakesItsClientTheLastToExpire() {
    DedupTable table = new DedupTable(EXPIRY);
    table.record("a", 1, 0, OK, 0);
    table.record("b", 1, 0, OK, 100);
    table.record("a", 2, 0, OK, 900);

    table.expire(1500);

    assertNull(table.answered("b", 1));
    assertNotNull(table.answered("a", 2));
    List<String> order = new ArrayList<>();
    table.forEach(entry -> order.add(entry.getClientId() + ":" + entry.getCallId()));
    assertEquals(List.of("a:1", "a:2"), order);
  }

  @Test
  void readsDuringASnapshotLeaveItIntact() {
    DedupTable table = new DedupTable(EXPIRY);
    for (int i = 0; i < 10; i++) {
      table.record("c" + i, 1, 0, OK, i);
    }
    List<DedupEntryImage> image = new ArrayList<>();

    table.forEach(
        entry -> {
          table.answered("c0", 1); // a request thread, under the same read lock
          image.add(entry);
        });

    assertEquals(10, image.size());
    assertEquals("c0", image.get(0).getClientId());
  }
}
