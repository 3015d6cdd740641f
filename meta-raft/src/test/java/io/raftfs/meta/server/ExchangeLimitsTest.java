package io.raftfs.meta.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.raftfs.proto.AllocateBlocksRequest;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaRequestList;
import io.raftfs.proto.StatRequest;
import org.junit.jupiter.api.Test;

class ExchangeLimitsTest {
  private static MetaRequestList stats(int count) {
    MetaRequestList.Builder list = MetaRequestList.newBuilder();
    for (int i = 0; i < count; i++) {
      list.addRequests(MetaRequest.newBuilder().setStat(StatRequest.newBuilder().setPath("/")));
    }
    return list.build();
  }

  private static MetaRequestList allocations(int count, int blocksEach) {
    MetaRequestList.Builder list = MetaRequestList.newBuilder();
    for (int i = 0; i < count; i++) {
      list.addRequests(
          MetaRequest.newBuilder()
              .setAllocateBlocks(AllocateBlocksRequest.newBuilder().setCount(blocksEach)));
    }
    return list.build();
  }

  @Test
  void atMost1024RequestsTravelTogether() {
    assertNull(ExchangeLimits.refusal(stats(1024)));
    assertEquals(
        "1025 requests in one exchange, more than 1024", ExchangeLimits.refusal(stats(1025)));
  }

  @Test
  void allocationsOfOneExchangeAskForAtMost4096BlocksTogether() {
    assertNull(ExchangeLimits.refusal(allocations(4, 1024)));
    assertEquals(
        "5000 blocks allocated in one exchange, more than 4096",
        ExchangeLimits.refusal(allocations(5, 1000)));
    // Counts are unsigned 32-bit: their sum must not wrap around.
    assertEquals(
        "8589934590 blocks allocated in one exchange, more than 4096",
        ExchangeLimits.refusal(allocations(2, -1)));
  }
}
