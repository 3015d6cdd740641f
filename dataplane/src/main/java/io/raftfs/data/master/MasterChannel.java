package io.raftfs.data.master;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.raftfs.data.replication.HostPort;
import io.raftfs.proto.BlockReport;
import io.raftfs.proto.BlockReportResponse;
import io.raftfs.proto.Heartbeat;
import io.raftfs.proto.HeartbeatResponse;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeUnit;

/** The control calls to one master: protobuf bodies over HTTP (docs/protocol.md). */
final class MasterChannel {
  private static final String PROTOBUF = "application/x-protobuf";
  private static final long TIMEOUT_MS = TimeUnit.SECONDS.toMillis(10);

  @FunctionalInterface
  private interface Parser<T> {
    T parse(byte[] bytes) throws InvalidProtocolBufferException;
  }

  private final HttpClient client;
  private final String address;

  MasterChannel(HttpClient client, String address) {
    this.client = client;
    this.address = address;
  }

  String address() {
    return address;
  }

  Future<HeartbeatResponse> heartbeat(Heartbeat heartbeat) {
    return post("/v1/heartbeat", heartbeat, HeartbeatResponse::parseFrom);
  }

  Future<BlockReportResponse> blockReport(BlockReport report) {
    return post("/v1/blockreport", report, BlockReportResponse::parseFrom);
  }

  private <T> Future<T> post(String path, Message message, Parser<T> parser) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setServer(HostPort.parse(address))
            .setURI(path)
            .setConnectTimeout(TIMEOUT_MS)
            .setIdleTimeout(TIMEOUT_MS)
            .putHeader(HttpHeaders.CONTENT_TYPE, PROTOBUF);
    return client
        .request(options)
        .compose(request -> request.send(Buffer.buffer(message.toByteArray())))
        .compose(
            response ->
                response
                    .body()
                    .compose(
                        body -> {
                          if (response.statusCode() != 200) {
                            return Future.failedFuture(
                                address + path + " answered " + response.statusCode());
                          }
                          try {
                            return Future.succeededFuture(parser.parse(body.getBytes()));
                          } catch (InvalidProtocolBufferException e) {
                            return Future.failedFuture(e);
                          }
                        }));
  }
}
