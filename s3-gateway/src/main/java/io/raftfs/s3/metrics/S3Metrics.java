package io.raftfs.s3.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's metrics in Prometheus text format, served like the masters' and data nodes' {@code
 * /metrics} (without credentials) but on {@value #PATH}: every other path of the S3 port may be a
 * bucket, and no bucket name holds an underscore. JVM and process, and per S3 operation ({@link
 * S3Operations}) the requests answered by status, their latency, and the bytes received and sent.
 *
 * <pre>{@code
 * if (request.path().equals(S3Metrics.PATH)) { metrics.serve(request); return; }
 * metrics.watch(request);   // records when the response ends
 * }</pre>
 */
public final class S3Metrics implements AutoCloseable {
  /** Where the metrics are served. */
  public static final String PATH = "/_raftfs/metrics";

  private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final Map<String, Operation> operations = new ConcurrentHashMap<>();
  private final Map<String, Counter> answers = new ConcurrentHashMap<>();

  private record Operation(Timer latency, Counter bytesIn, Counter bytesOut) {}

  public S3Metrics() {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** Answers a request for {@value #PATH}: the metrics to a GET, 405 to anything else. */
  public void serve(HttpServerRequest request) {
    HttpServerResponse response = request.response();
    if (!request.method().name().equals("GET")) {
      response.setStatusCode(405).putHeader("Allow", "GET").end();
      return;
    }
    response.putHeader("Content-Type", CONTENT_TYPE).end(registry.scrape());
  }

  /** Records the request's operation, status, latency and bytes when its response ends. */
  public void watch(HttpServerRequest request) {
    long started = System.nanoTime();
    String op = S3Operations.of(request);
    HttpServerResponse response = request.response();
    response.endHandler(
        v ->
            record(
                op,
                complete(response) ? Integer.toString(response.getStatusCode()) : "aborted",
                System.nanoTime() - started,
                request.bytesRead(),
                response.bytesWritten()));
  }

  /**
   * Whether the answer went out whole: ended, or all of its declared length written (a client that
   * has every byte may close the connection before the worker's end reaches the event loop).
   */
  private static boolean complete(HttpServerResponse response) {
    String length = response.headers().get("Content-Length");
    return response.ended()
        || (length != null && length.equals(Long.toString(response.bytesWritten())));
  }

  private void record(String op, String status, long nanos, long bytesIn, long bytesOut) {
    Operation meters =
        operations.computeIfAbsent(
            op,
            name ->
                new Operation(
                    Timer.builder("raftfs.s3.request")
                        .description("Time from a request's arrival to the end of its answer")
                        .tag("op", name)
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(Duration.ofMinutes(1))
                        .register(registry),
                    Counter.builder("raftfs.s3.bytes.in")
                        .description("Bytes of request bodies received")
                        .baseUnit("bytes")
                        .tag("op", name)
                        .register(registry),
                    Counter.builder("raftfs.s3.bytes.out")
                        .description("Bytes of answer bodies sent")
                        .baseUnit("bytes")
                        .tag("op", name)
                        .register(registry)));
    meters.latency().record(Duration.ofNanos(nanos));
    meters.bytesIn().increment(bytesIn);
    meters.bytesOut().increment(bytesOut);
    answers
        .computeIfAbsent(
            op + '/' + status,
            key ->
                Counter.builder("raftfs.s3.requests")
                    .description(
                        "S3 requests answered, by operation and HTTP status (aborted: the"
                            + " connection broke first)")
                    .tag("op", op)
                    .tag("status", status)
                    .register(registry))
        .increment();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
