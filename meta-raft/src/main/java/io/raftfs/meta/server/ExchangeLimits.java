package io.raftfs.meta.server;

import static io.raftfs.protocol.MetaLimits.MAX_BLOCKS_PER_EXCHANGE;
import static io.raftfs.protocol.MetaLimits.MAX_REQUESTS_PER_EXCHANGE;

import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaRequestList;

/**
 * What one {@code POST /v1/meta} may ask for, checked before any of its requests is handled: a 16
 * MiB body holds a million requests, and as many allocations of 1,024 blocks each would have the
 * leader place a billion blocks.
 */
final class ExchangeLimits {
  private ExchangeLimits() {}

  /** Why the exchange is refused whole, or null if it may be handled. */
  static String refusal(MetaRequestList requests) {
    if (requests.getRequestsCount() > MAX_REQUESTS_PER_EXCHANGE) {
      return requests.getRequestsCount()
          + " requests in one exchange, more than "
          + MAX_REQUESTS_PER_EXCHANGE;
    }
    long blocks = 0;
    for (MetaRequest request : requests.getRequestsList()) {
      if (request.hasAllocateBlocks()) {
        blocks += Integer.toUnsignedLong(request.getAllocateBlocks().getCount());
      }
    }
    if (blocks > MAX_BLOCKS_PER_EXCHANGE) {
      return blocks + " blocks allocated in one exchange, more than " + MAX_BLOCKS_PER_EXCHANGE;
    }
    return null;
  }
}
