package io.raftfs.meta.gateways;

import io.raftfs.proto.GatewayStatus;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The S3 gateways that reported to this master lately, for the cluster page: soft state, not
 * replicated. A gateway reports every few seconds, so a new leader knows them all again within one
 * interval, and a listing that is briefly short costs nothing; putting every report through the
 * Raft log would write a log entry per gateway every few seconds for a page. Bounded: at most
 * {@code max} entries, each gone once not heard from for {@code expiryMillis}.
 */
public final class GatewayRegistry {
  private final int max;
  private final long expiryMillis;
  private final LongSupplier clock;
  private final Map<String, GatewayStatus> byAddress = new LinkedHashMap<>();

  public GatewayRegistry(int max, long expiryMillis) {
    this(max, expiryMillis, System::currentTimeMillis);
  }

  /** With {@code clock} as the wall clock in milliseconds (tests). */
  GatewayRegistry(int max, long expiryMillis, LongSupplier clock) {
    this.max = max;
    this.expiryMillis = expiryMillis;
    this.clock = clock;
  }

  /**
   * Records a report, stamped with the time now.
   *
   * @return false if it is a gateway not listed yet and {@code max} are listed already
   */
  public synchronized boolean report(GatewayStatus gateway) {
    long now = clock.getAsLong();
    expire(now);
    if (!byAddress.containsKey(gateway.getAddress()) && byAddress.size() >= max) {
      return false;
    }
    byAddress.put(gateway.getAddress(), gateway.toBuilder().setLastSeenMillis(now).build());
    return true;
  }

  /** The gateways heard from within the expiry, by address. */
  public synchronized List<GatewayStatus> live() {
    expire(clock.getAsLong());
    return byAddress.values().stream()
        .sorted(Comparator.comparing(GatewayStatus::getAddress))
        .toList();
  }

  public int max() {
    return max;
  }

  private void expire(long now) {
    byAddress.values().removeIf(gateway -> now - gateway.getLastSeenMillis() > expiryMillis);
  }
}
