package io.raftfs.data.master;

import io.raftfs.client.meta.MetaClient;
import io.raftfs.client.meta.MetaClientOptions;
import io.raftfs.data.scrub.BadReplicaReporter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Registration and bad-replica reports through {@link MetaClient}, which finds the leader and
 * retries.
 */
public final class MetaClientRegistration
    implements MasterRegistration, BadReplicaReporter, AutoCloseable {
  /** Bounded, so a cluster without a leader delays the next attempt instead of a worker. */
  private static final Duration CALL_DEADLINE = Duration.ofSeconds(10);

  private final MetaClient client;
  private final AtomicBoolean closed = new AtomicBoolean();

  public MetaClientRegistration(List<String> masters) {
    this.client =
        new MetaClient(masters, MetaClientOptions.DEFAULTS.withCallDeadline(CALL_DEADLINE));
  }

  @Override
  public void register(String nodeId, String httpAddress, long capacityBytes) {
    client.registerDataNode(nodeId, httpAddress, capacityBytes);
  }

  @Override
  public void reportBadReplica(long blockId, String nodeId) {
    client.reportBadReplica(blockId, nodeId);
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      client.close();
    }
  }
}
