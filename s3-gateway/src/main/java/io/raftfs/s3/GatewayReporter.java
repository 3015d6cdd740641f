package io.raftfs.s3;

import io.raftfs.client.meta.MetaClient;
import io.raftfs.concurrent.DaemonThreads;
import io.raftfs.proto.ReportGatewayRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports the gateway to the leader master every interval ({@code report_gateway}, signed with the
 * gateway's own key), so the cluster page lists it while it runs; the leader forgets it when the
 * reports stop. A failed report is logged once per run of failures and tried again next interval:
 * the page is no reason to stop serving.
 */
final class GatewayReporter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayReporter.class);

  private final MetaClient meta;
  private final ReportGatewayRequest report;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("s3-reporter"));
  private boolean failing;
  private volatile boolean closed;

  private GatewayReporter(MetaClient meta, ReportGatewayRequest report) {
    this.meta = meta;
    this.report = report;
  }

  /** Reports now and then every {@code interval}. */
  static GatewayReporter start(
      MetaClient meta, String address, boolean tls, long startTimeMillis, Duration interval) {
    ReportGatewayRequest report =
        ReportGatewayRequest.newBuilder()
            .setAddress(address)
            .setVersion(version())
            .setStartTimeMillis(startTimeMillis)
            .setTls(tls)
            .build();
    GatewayReporter reporter = new GatewayReporter(meta, report);
    reporter.timer.scheduleWithFixedDelay(
        reporter::reportOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return reporter;
  }

  /**
   * The address clients reach a gateway at: the configured one, else the bind host and port, with
   * this host's name for a wildcard bind host.
   */
  static String address(String advertised, String bindHost, int port) {
    if (advertised != null) {
      return advertised;
    }
    String host = bindHost;
    if (host.equals("0.0.0.0") || host.equals("::")) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        host = bindHost;
      }
    }
    return host + ":" + port;
  }

  private void reportOnce() {
    try {
      meta.reportGateway(report);
      if (failing) {
        LOG.info("reporting to the masters again");
        failing = false;
      }
    } catch (RuntimeException e) {
      if (!failing && !closed) { // a report cut short by close() is no failure
        LOG.warn(
            "cannot report to the masters (the cluster page will not list this gateway): {}",
            e.getMessage());
        failing = true;
      }
    }
  }

  /** The gateway's version, from its jar; "dev" when run from classes. */
  private static String version() {
    String version = GatewayReporter.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }

  @Override
  public void close() {
    closed = true;
    timer.shutdownNow();
  }
}
