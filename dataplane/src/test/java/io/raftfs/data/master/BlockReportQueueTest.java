package io.raftfs.data.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.data.store.BlockEntry;
import io.raftfs.proto.BlockReport;
import java.util.AbstractList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a node tells one master about its blocks, however many it holds. */
class BlockReportQueueTest {
  /** The masters' limit on a request body. */
  private static final int MAX_BODY_BYTES = 16 << 20;

  private final BlockReportQueue queue = new BlockReportQueue();

  @Test
  void aFullReportOfTwoMillionBlocksTravelsInBoundedChunksOfOneReport() {
    int blocks = 2_000_000;
    // Synthetic and computed on demand: 2 M entries without holding them.
    List<BlockEntry> stored =
        new AbstractList<>() {
          @Override
          public BlockEntry get(int index) {
            return new BlockEntry(index + 1L, 4096, 0xFFFF_FFFFL - index);
          }

          @Override
          public int size() {
            return blocks;
          }
        };

    Iterator<BlockReport> chunks = queue.drain("dn", () -> stored);

    long reportId = -1;
    int index = 0;
    long sent = 0;
    boolean more = true;
    while (chunks.hasNext()) {
      BlockReport chunk = chunks.next();
      assertTrue(more, "nothing after the last chunk");
      assertTrue(chunk.getFull());
      assertTrue(chunk.getAddedCount() <= BlockReportQueue.MAX_BLOCKS_PER_CHUNK);
      assertTrue(chunk.getSerializedSize() < MAX_BODY_BYTES);
      reportId = index == 0 ? chunk.getReportId() : reportId;
      assertEquals(reportId, chunk.getReportId());
      assertEquals(index++, chunk.getChunkIndex());
      assertEquals(sent + 1, chunk.getAdded(0).getBlockId(), "in order, none left out");
      sent += chunk.getAddedCount();
      more = chunk.getMoreChunks();
    }
    assertEquals(blocks, sent);
    assertEquals(false, more, "the last chunk says so");

    queue.requireFull();
    BlockReport next = queue.drain("dn", () -> stored).next();
    assertNotEquals(reportId, next.getReportId(), "the next full report is another one");
  }

  @Test
  void aNodeWithoutBlocksStillSendsOneFullReport() {
    Iterator<BlockReport> chunks = queue.drain("dn", List::of);

    BlockReport only = chunks.next();
    assertTrue(only.getFull());
    assertEquals(0, only.getAddedCount());
    assertEquals(false, only.getMoreChunks());
    assertEquals(false, chunks.hasNext());
  }
}
