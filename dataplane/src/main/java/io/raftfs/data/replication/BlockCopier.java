package io.raftfs.data.replication;

import io.raftfs.data.store.BlockEntry;
import io.raftfs.data.store.BlockId;
import io.raftfs.data.store.BlockRegion;
import io.raftfs.data.store.BlockStore;
import io.raftfs.data.tls.NodeClient;
import io.raftfs.proto.DataNodeAddress;
import io.raftfs.protocol.DataNodeProtocol;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Re-replication: sends a stored block to another data node with a plain {@code PUT}; the target
 * checks length and CRC32C on arrival, so a bad local copy is refused there, never spread. Only to
 * a node the {@link ForwardTargets} accept: the leader names registered nodes, and a copy to any
 * other address would come from a forged command. Over TLS, only to the node the leader named: the
 * target's certificate must name its node id ({@link NodeClient}).
 */
public final class BlockCopier {
  private static final int READ_BUFFER_BYTES = 256 * 1024;

  private final Vertx vertx;
  private final NodeClient client;
  private final BlockStore store;
  private final ForwardTargets targets;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

  public BlockCopier(Vertx vertx, NodeClient client, BlockStore store, ForwardTargets targets) {
    this.vertx = vertx;
    this.client = client;
    this.store = store;
    this.targets = targets;
  }

  public int activeCopies() {
    return inFlight.size();
  }

  /**
   * Copies {@code expected} to {@code target}. Succeeds also when the target already holds it; a
   * copy already running for the same block and target is not started twice. Fails at once for a
   * target that is not a registered data node.
   */
  public Future<Void> copy(BlockEntry expected, DataNodeAddress target) {
    return copy(expected, target, null);
  }

  /**
   * {@link #copy(BlockEntry, DataNodeAddress)} with the leader's WRITE token for the target (null:
   * none).
   */
  public Future<Void> copy(BlockEntry expected, DataNodeAddress to, String token) {
    String target = to.getHttpAddress();
    try {
      targets.check(List.of(target));
    } catch (UploadFailure e) {
      return Future.failedFuture(e);
    }
    BlockEntry local = store.get(expected.blockId()).orElse(null);
    if (local == null || !local.equals(expected)) {
      return Future.failedFuture(
          "block " + BlockId.format(expected.blockId()) + " is not stored here as " + expected);
    }
    String key = BlockId.format(local.blockId()) + "->" + target;
    if (!inFlight.add(key)) {
      return Future.succeededFuture();
    }
    return send(local, to, token)
        .eventually(
            () -> {
              inFlight.remove(key);
              return Future.succeededFuture();
            });
  }

  private Future<Void> send(BlockEntry block, DataNodeAddress to, String token) {
    String target = to.getHttpAddress();
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.PUT)
            .setServer(HostPort.parse(target))
            .setURI("/blocks/" + BlockId.format(block.blockId()))
            .setIdleTimeout(Downstream.IDLE_TIMEOUT_MS)
            .putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(block.length()))
            .putHeader(DataNodeProtocol.CRC32C, Long.toString(block.crc32c()));
    if (token != null && !token.isEmpty()) {
      options.putHeader(DataNodeProtocol.BLOCK_TOKEN, token);
    }
    BlockRegion region = store.region(block.blockId()).orElse(null);
    if (region == null) {
      return Future.failedFuture("block " + BlockId.format(block.blockId()) + " was deleted");
    }
    return vertx
        .fileSystem()
        .open(region.file().toString(), new OpenOptions().setRead(true))
        .compose(
            file ->
                client
                    .request(options, to.getNodeId())
                    .compose(request -> pipe(file, region, request, target))
                    .eventually(() -> file.close().otherwiseEmpty()))
        .compose(
            response -> {
              if (response == 201 || response == 409) {
                return Future.succeededFuture();
              }
              return Future.failedFuture(
                  "copy of block "
                      + BlockId.format(block.blockId())
                      + " to "
                      + target
                      + " answered "
                      + response);
            });
  }

  /**
   * An explicit pipe, not {@code send(ReadStream)}: that would hide a failing source behind a
   * seemingly complete request. On a read error the request is reset, so the target stores nothing.
   */
  private static Future<Integer> pipe(
      AsyncFile file, BlockRegion region, HttpClientRequest request, String target) {
    file.setReadBufferSize(READ_BUFFER_BYTES)
        .setReadPos(region.offset())
        .setReadLength(region.length());
    Future<Integer> status =
        request.response().compose(r -> AnswerBody.read(r, target).map(body -> r.statusCode()));
    return file.pipe()
        .endOnFailure(false)
        .to(request)
        .recover(
            e -> {
              request.reset();
              return Future.failedFuture(e);
            })
        .compose(v -> status);
  }
}
