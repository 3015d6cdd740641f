package io.raftfs.meta.operation;

import static io.raftfs.meta.operation.Responses.ok;

import io.raftfs.meta.namespace.NamespaceException;
import io.raftfs.meta.users.Identity;
import io.raftfs.proto.GatewayStatus;
import io.raftfs.proto.MetaRequest;
import io.raftfs.proto.MetaResponse;
import io.raftfs.proto.ReportGatewayRequest;
import io.raftfs.protocol.MetaLimits;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;

/**
 * {@code report_gateway}: an S3 gateway says it runs, for the cluster page. Only a superuser may
 * report (a gateway signs with its own key, which must be one, as it must to carry its users'
 * proofs); the leader keeps the report in memory ({@link io.raftfs.meta.gateways.GatewayRegistry}),
 * bounded in number and age, and logs nothing.
 */
final class ReportGateway implements ClientOperation {
  /** A version string is for people: short. */
  static final int MAX_VERSION_BYTES = 64;

  @Override
  public MetaRequest.OpCase requestCase() {
    return MetaRequest.OpCase.REPORT_GATEWAY;
  }

  @Override
  public String metricName() {
    return "report_gateway";
  }

  @Override
  public CompletableFuture<MetaResponse> handle(MetaRequest request, MasterContext master)
      throws NamespaceException {
    return handle(request, master, null, Identity.UNSIGNED);
  }

  @Override
  public CompletableFuture<MetaResponse> handle(
      MetaRequest request, MasterContext master, InetAddress caller, Identity identity)
      throws NamespaceException {
    master.requireSuperuser(identity, metricName());
    ReportGatewayRequest report = request.getReportGateway();
    Fields.checkHttpAddress("address", report.getAddress());
    if (MetaLimits.utf8Length(report.getVersion()) > MAX_VERSION_BYTES) {
      throw NamespaceException.invalidArgument(
          "version", "longer than " + MAX_VERSION_BYTES + " bytes");
    }
    GatewayStatus gateway =
        GatewayStatus.newBuilder()
            .setAddress(report.getAddress())
            .setVersion(report.getVersion())
            .setStartTimeMillis(report.getStartTimeMillis())
            .setTls(report.getTls())
            .setUser(identity.user())
            .build();
    if (!master.gateways().report(gateway)) {
      throw NamespaceException.invalidArgument(
          report.getAddress(),
          "the leader lists "
              + master.gateways().max()
              + " S3 gateways already (raftfs.master.s3.gateways.max); one must expire first");
    }
    return Responses.done(ok().build());
  }
}
