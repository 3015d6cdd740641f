package io.raftfs.meta.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.raftfs.meta.datanodes.DataNodeTracker;
import io.raftfs.meta.raft.RaftGateway;
import io.raftfs.meta.repair.ReplicationMonitor;
import io.raftfs.meta.statemachine.MetaStore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.apache.ratis.server.DivisionInfo;

/**
 * One master's metrics in Prometheus text format ({@code GET /metrics}): JVM and process, Raft
 * (role, term, commit and applied index, leader changes), metadata operations by type and result
 * with their latency, requests per log entry, the namespace's size, data nodes and repair backlog.
 *
 * <pre>{@code
 * MasterMetrics metrics = new MasterMetrics();
 * metrics.watch(raft, store, tracker, monitor);   // gauges, read at scrape time
 * metrics.operation("mkdir", "OK", nanos);        // from the request path
 * String body = metrics.scrape();
 * }</pre>
 *
 * <p>Gauges read their sources when scraped; nothing here runs on the request path but a counter
 * increment and a histogram update.
 */
public final class MasterMetrics implements MetaOperationRecorder, AutoCloseable {
  /** The Content-Type of {@link #scrape()}. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final String[] ROLES = {"LEADER", "FOLLOWER", "CANDIDATE", "LISTENER"};

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final Counter leaderChanges;
  private final Counter repairsCompleted;
  private final DistributionSummary batchRequests;
  private final Map<String, Operation> operations = new ConcurrentHashMap<>();

  private record Operation(Counter count, Timer latency) {}

  public MasterMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    leaderChanges =
        Counter.builder("raftfs.master.leader.changes")
            .description("Leader changes this master has seen")
            .register(registry);
    repairsCompleted =
        Counter.builder("raftfs.repair.copies.completed")
            .description("Block copies the leader ordered and a block report confirmed")
            .register(registry);
    batchRequests =
        DistributionSummary.builder("raftfs.meta.batch.requests")
            .description("Metadata requests packed into one Raft log entry")
            .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
            .register(registry);
  }

  /** Registers the gauges that read the master's state at scrape time. */
  public void watch(
      RaftGateway raft, MetaStore store, DataNodeTracker tracker, ReplicationMonitor monitor) {
    gauge(
        "raftfs.master.raft.leader",
        "1 while this master is the ready leader",
        raft,
        r -> r.isLeader() ? 1 : 0);
    for (String role : ROLES) {
      Gauge.builder("raftfs.master.raft.role", raft, r -> role(r).equals(role) ? 1 : 0)
          .description("1 for this master's current Raft role")
          .tag("role", role)
          .register(registry);
    }
    gauge(
        "raftfs.master.raft.term",
        "Current Raft term",
        raft,
        r -> info(r, DivisionInfo::getCurrentTerm));
    gauge(
        "raftfs.master.raft.commit.index",
        "Last committed log index",
        raft,
        RaftGateway::commitIndex);
    gauge(
        "raftfs.master.raft.applied.index",
        "Last log index applied to the state machine",
        raft,
        r -> info(r, DivisionInfo::getLastAppliedIndex));
    gauge("raftfs.namespace.files", "Files in the namespace", store, MetaStore::files);
    gauge(
        "raftfs.namespace.directories",
        "Directories in the namespace",
        store,
        MetaStore::directories);
    gauge("raftfs.namespace.blocks", "Blocks referenced by files", store, MetaStore::blocks);
    Gauge.builder("raftfs.namespace.file.data", store, MetaStore::bytes)
        .description("Length of all files (one replica)")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("raftfs.datanodes", tracker, t -> t.liveNodes().size())
        .description("Data nodes this master hears from, by liveness")
        .tag("state", "live")
        .register(registry);
    Gauge.builder(
            "raftfs.datanodes", tracker, t -> t.allNodes().size() - (double) t.liveNodes().size())
        .description("Data nodes this master hears from, by liveness")
        .tag("state", "dead")
        .register(registry);
    gauge(
        "raftfs.blocks.under.replicated",
        "Blocks with fewer live replicas than wanted (leader's last scan)",
        monitor,
        m -> m.summary().underReplicated());
    gauge(
        "raftfs.blocks.missing",
        "Blocks with no live replica (leader's last scan)",
        monitor,
        m -> m.summary().missing());
    gauge(
        "raftfs.replicas.corrupt",
        "Replicas found corrupt (leader's last scan)",
        monitor,
        m -> m.summary().corruptReplicas());
    gauge(
        "raftfs.repair.pending.copies",
        "Block copies ordered and not yet confirmed",
        monitor,
        m -> m.summary().pendingCopies());
  }

  @Override
  public void operation(String op, String result, long elapsedNanos) {
    Operation meters =
        operations.computeIfAbsent(
            op + '/' + result,
            key ->
                new Operation(
                    Counter.builder("raftfs.meta.operations")
                        .description("Metadata operations answered, by type and result")
                        .tag("op", op)
                        .tag("result", result)
                        .register(registry),
                    Timer.builder("raftfs.meta.operation")
                        .description("Time to answer a metadata operation")
                        .tag("op", op)
                        .tag("result", result)
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(Duration.ofSeconds(10))
                        .register(registry)));
    meters.count().increment();
    meters.latency().record(Duration.ofNanos(elapsedNanos));
  }

  /** A log entry carrying {@code requests} metadata requests was submitted. */
  public void batch(int requests) {
    batchRequests.record(requests);
  }

  public void leaderChanged() {
    leaderChanges.increment();
  }

  public void repairCompleted() {
    repairsCompleted.increment();
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Every metric in Prometheus text format. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }

  private <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value) {
    Gauge.builder(name, source, value)
        .description(description)
        .strongReference(true)
        .register(registry);
  }

  private static String role(RaftGateway raft) {
    try {
      return raft.info().getCurrentRole().name();
    } catch (RuntimeException e) {
      return "";
    }
  }

  private static double info(RaftGateway raft, ToDoubleFunction<DivisionInfo> value) {
    try {
      return value.applyAsDouble(raft.info());
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }
}
