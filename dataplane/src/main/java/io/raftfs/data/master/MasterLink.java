package io.raftfs.data.master;

import io.raftfs.proto.BlockReportResponse;
import io.raftfs.proto.Heartbeat;
import io.raftfs.proto.HeartbeatResponse;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's conversation with one master: at most one heartbeat and one block report in flight,
 * the block changes that master has not acknowledged, and whether it was reachable last time.
 */
final class MasterLink {
  private static final Logger LOG = LoggerFactory.getLogger(MasterLink.class);

  private final MasterChannel channel;
  private final BlockReportQueue reports = new BlockReportQueue();
  private boolean heartbeatInFlight;
  private boolean reportInFlight;
  private boolean reachable;

  MasterLink(MasterChannel channel) {
    this.channel = channel;
  }

  String address() {
    return channel.address();
  }

  BlockReportQueue reports() {
    return reports;
  }

  boolean reachable() {
    return reachable;
  }

  /** Sends a heartbeat unless one is still on its way; empty future when skipped. */
  Future<HeartbeatResponse> heartbeat(Heartbeat heartbeat) {
    if (heartbeatInFlight) {
      return Future.succeededFuture();
    }
    heartbeatInFlight = true;
    return channel
        .heartbeat(heartbeat)
        .andThen(
            ar -> {
              heartbeatInFlight = false;
              markReachable(ar.succeeded(), ar.cause());
            });
  }

  /**
   * Sends what the master has not been told, unless a report is on its way (the queue keeps
   * collecting meanwhile). A failed report turns into a full one next time.
   */
  Future<BlockReportResponse> flushReports(ReportSource source) {
    if (reportInFlight || !reachable || reports.isEmpty()) {
      return Future.succeededFuture();
    }
    reportInFlight = true;
    return channel
        .blockReport(reports.drain(source.nodeId(), source::storedBlocks))
        .andThen(
            ar -> {
              reportInFlight = false;
              if (ar.failed()) {
                reports.requireFull();
                markReachable(false, ar.cause());
              } else if (!ar.result().getRegistered()) {
                reports.requireFull();
              }
            });
  }

  private void markReachable(boolean nowReachable, Throwable cause) {
    if (reachable && !nowReachable) {
      LOG.warn("master {} unreachable: {}", address(), cause == null ? "" : cause.getMessage());
      // Whatever it learns from now on may be lost: start again from a full report.
      reports.requireFull();
    } else if (!reachable && nowReachable) {
      LOG.info("master {} reachable", address());
    }
    reachable = nowReachable;
  }
}
