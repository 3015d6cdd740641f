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

  @Test
  void aClientThatNeverAcknowledgesKeepsOnlyItsNewestAnswers() {
    DedupTable table = new DedupTable(EXPIRY, 3, 100);
    for (long call = 1; call <= 10; call++) {
      table.record("forgetful", call, 0, OK, call);
    }

    assertEquals(3, table.size());
    assertNull(table.answered("forgetful", 7));
    assertNotNull(table.answered("forgetful", 8));
    assertNotNull(table.answered("forgetful", 10));
  }

  @Test
  void aFullTableForgetsTheLeastRecentlyActiveClientsFirst() {
    DedupTable table = new DedupTable(EXPIRY, 3, 5);
    table.record("a", 1, 0, OK, 0);
    table.record("a", 2, 0, OK, 0);
    table.record("b", 1, 0, OK, 1);
    table.record("b", 2, 0, OK, 1);
    table.record("c", 1, 0, OK, 2);
    table.record("c", 2, 0, OK, 2); // six answers: client a goes

    assertEquals(4, table.size());
    assertNull(table.answered("a", 2));
    assertNotNull(table.answered("b", 1));
    assertNotNull(table.answered("c", 2));
  }

  @Test
  void anOverlongClientIdIsNotRecorded() {
    DedupTable table = new DedupTable(EXPIRY);
    String huge = "x".repeat(DedupTable.MAX_KEY_CHARS + 1);
    table.record(huge, 1, 0, OK, 0);

    assertEquals(0, table.size());
    assertNull(table.answered(huge, 1));
  }
}
