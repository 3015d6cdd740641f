package io.raftfs.data.master;

import io.raftfs.concurrent.DaemonThreads;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's registration with the leader, one attempt at a time on a thread of its own: at start
 * and with every heartbeat until one succeeds, and again when a master answers a heartbeat saying
 * it does not know the node. Thread-safe.
 */
final class Registration implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Registration.class);

  private final MasterClient client;
  private final String nodeId;
  private final String httpAddress;
  private final LongSupplier capacityBytes;
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(DaemonThreads.named("master-registration"));
  // Guarded by this.
  private boolean running;
  private boolean succeededOnce;
  private long epoch;
  private boolean closed;

  Registration(MasterClient client, String nodeId, String httpAddress, LongSupplier capacityBytes) {
    this.client = client;
    this.nodeId = nodeId;
    this.httpAddress = httpAddress;
    this.capacityBytes = capacityBytes;
  }

  /** Registers unless a registration succeeded already or one is on its way. */
  synchronized void ensure() {
    if (!succeededOnce) {
      start();
    }
  }

  /** Counts successful registrations: a "not registered" answer to an older heartbeat is stale. */
  synchronized long epoch() {
    return epoch;
  }

  /**
   * A master did not know the node when it answered a heartbeat sent at {@code epochSeen}:
   * registers again, unless a registration succeeded since that heartbeat left.
   */
  synchronized void renewIfCurrent(long epochSeen) {
    if (epochSeen == epoch) {
      start();
    }
  }

  private void start() {
    if (running || closed) {
      return;
    }
    running = true;
    long capacity = capacityBytes.getAsLong();
    thread.execute(() -> attempt(capacity));
  }

  private void attempt(long capacity) {
    RuntimeException failure = null;
    try {
      client.register(nodeId, httpAddress, capacity);
    } catch (RuntimeException e) {
      failure = e;
    }
    synchronized (this) {
      running = false;
      if (closed) {
        return;
      }
      if (failure == null) {
        succeededOnce = true;
        epoch++;
      }
    }
    if (failure == null) {
      LOG.info("registered {} at {} with the masters", nodeId, httpAddress);
    } else {
      LOG.warn("registration of {} failed, will retry: {}", nodeId, failure.toString());
    }
  }

  /** Stops at once: an attempt on its way is interrupted. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    thread.shutdownNow();
  }
}
