package io.raftfs.data.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.raftfs.data.scrub.ScrubStats;
import io.raftfs.data.store.BlockStore;
import io.raftfs.data.store.StoreStats;
import io.raftfs.protocol.DataNodeProtocol;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * One data node's metrics in Prometheus text format ({@code GET /metrics}): JVM and process, HTTP
 * requests by route, method and status with their latency, blocks and bytes written, read and
 * forwarded down a replication chain, uploads refused for a bad checksum, the disk, and the
 * scrubber's progress. Everything is seen from the HTTP layer or read at scrape time, so no handler
 * of the data path knows about metrics.
 *
 * <pre>{@code
 * DataNodeMetrics metrics = new DataNodeMetrics(store, scrubber::stats);
 * metrics.install(router);   // before the node serves: times every request, adds GET /metrics
 * }</pre>
 */
public final class DataNodeMetrics implements AutoCloseable {
  /** The Content-Type of {@link #scrape()}. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final Map<String, Timer> requests = new ConcurrentHashMap<>();
  private final Counter blocksWritten;
  private final Counter bytesWritten;
  private final Counter blocksRead;
  private final Counter bytesRead;
  private final Counter blocksForwarded;
  private final Counter bytesForwarded;
  private final Counter uploadsRefused;
  private final Supplier<ScrubStats> scrubber;

  /**
   * @param scrubber read at scrape time (through this object: Micrometer holds sources weakly)
   */
  public DataNodeMetrics(BlockStore store, Supplier<ScrubStats> scrubber) {
    this.scrubber = scrubber;
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    blocksWritten = counter("raftfs.datanode.blocks.written", "Blocks stored by uploads (PUT 201)");
    bytesWritten =
        counter("raftfs.datanode.written.bytes", "Bytes of blocks stored by uploads (PUT 201)");
    blocksRead = counter("raftfs.datanode.blocks.read", "Block reads answered (GET 200 or 206)");
    bytesRead = counter("raftfs.datanode.read.bytes", "Bytes sent by block reads");
    blocksForwarded =
        counter(
            "raftfs.datanode.blocks.replicated",
            "Blocks stored here and forwarded down a replication chain");
    bytesForwarded =
        counter(
            "raftfs.datanode.replicated.bytes",
            "Bytes of blocks stored here and forwarded down a replication chain");
    uploadsRefused =
        Counter.builder("raftfs.datanode.checksum.failures")
            .description("Uploads refused because the body did not match its CRC32C or length")
            .tag("source", "upload")
            .register(registry);
    FunctionCounter.builder(
            "raftfs.datanode.checksum.failures", this, m -> m.scrubber.get().corruptFound())
        .description("Replicas the scrubber found corrupt")
        .tag("source", "scrubber")
        .register(registry);
    FunctionCounter.builder(
            "raftfs.datanode.scrubber.scanned", this, m -> m.scrubber.get().bytesScanned())
        .description("Bytes the scrubber read and checked")
        .baseUnit("bytes")
        .register(registry);
    FunctionCounter.builder(
            "raftfs.datanode.scrubber.blocks", this, m -> m.scrubber.get().blocksScanned())
        .description("Blocks the scrubber read to the end and found intact")
        .register(registry);
    FunctionCounter.builder(
            "raftfs.datanode.scrubber.passes", this, m -> m.scrubber.get().passesCompleted())
        .description("Scrubber passes over every stored block")
        .register(registry);
    FunctionCounter.builder("raftfs.datanode.scrubber.yields", this, m -> m.scrubber.get().yields())
        .description("Scrubber ticks that read nothing because clients were moving blocks")
        .register(registry);
    Gauge.builder("raftfs.datanode.scrubber.rate", this, m -> m.scrubber.get().bytesPerSecond())
        .description("Most bytes per second the scrubber may read; 0 when it is off")
        .baseUnit("bytes.per.second")
        .register(registry);
    disk(
        "raftfs.datanode.disk.capacity",
        "Capacity this node may use",
        store,
        StoreStats::capacityBytes);
    disk("raftfs.datanode.disk.used", "Bytes of stored blocks", store, StoreStats::usedBytes);
    disk(
        "raftfs.datanode.disk.free",
        "Bytes still available for blocks",
        store,
        StoreStats::freeBytes);
    Gauge.builder("raftfs.datanode.blocks", store, s -> s.stats().blockCount())
        .description("Blocks stored")
        .register(registry);
    Gauge.builder("raftfs.datanode.active.writes", store, s -> s.stats().activeWrites())
        .description("Uploads in progress")
        .register(registry);
  }

  /** Times every request of {@code router} and serves {@code GET /metrics}; call before serving. */
  public void install(Router router) {
    router.route().order(-2).handler(this::time);
    router
        .get("/metrics")
        .order(-1)
        .handler(ctx -> ctx.response().putHeader("Content-Type", CONTENT_TYPE).end(scrape()));
  }

  private void time(RoutingContext ctx) {
    long started = System.nanoTime();
    HttpServerRequest request = ctx.request();
    ctx.addEndHandler(
        done -> {
          int status = ctx.response().getStatusCode();
          HttpMethod method = request.method();
          String route = route(request.path());
          requests
              .computeIfAbsent(
                  route + ' ' + method + ' ' + status,
                  key ->
                      Timer.builder("raftfs.datanode.request")
                          .description("HTTP requests answered, by route, method and status")
                          .tag("route", route)
                          .tag("method", method.name())
                          .tag("status", Integer.toString(status))
                          .publishPercentileHistogram()
                          .minimumExpectedValue(Duration.ofMillis(1))
                          .maximumExpectedValue(Duration.ofSeconds(60))
                          .register(registry))
              .record(Duration.ofNanos(System.nanoTime() - started));
          if (!route.equals("/blocks/:id")) {
            return;
          }
          if (method == HttpMethod.PUT && status == 201) {
            blocksWritten.increment();
            bytesWritten.increment(request.bytesRead());
            String pipeline = request.getHeader(DataNodeProtocol.PIPELINE);
            if (pipeline != null && !pipeline.isBlank()) {
              blocksForwarded.increment();
              bytesForwarded.increment(request.bytesRead());
            }
          } else if (method == HttpMethod.PUT && status == 422) {
            uploadsRefused.increment();
          } else if (method == HttpMethod.GET && (status == 200 || status == 206)) {
            blocksRead.increment();
            bytesRead.increment(ctx.response().bytesWritten());
          }
        });
    ctx.next();
  }

  /** A few route names, so a scan of odd paths cannot create unbounded label values. */
  private static String route(String path) {
    if (path == null) {
      return "other";
    }
    if (path.startsWith("/blocks/")) {
      return "/blocks/:id";
    }
    switch (path) {
      case "/health", "/status", "/metrics" -> {
        return path;
      }
      default -> {
        return "other";
      }
    }
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

  private Counter counter(String name, String description) {
    return Counter.builder(name).description(description).register(registry);
  }

  private void disk(
      String name, String description, BlockStore store, ToDoubleFunction<StoreStats> value) {
    Gauge.builder(name, store, s -> value.applyAsDouble(s.stats()))
        .description(description)
        .baseUnit("bytes")
        .register(registry);
  }
}
