package io.raftfs.data.http;

import io.raftfs.auth.BlockTokenException;
import io.raftfs.auth.BlockTokens;
import io.raftfs.data.access.BlockAccess;
import io.raftfs.data.store.BlockEntry;
import io.raftfs.data.store.BlockId;
import io.raftfs.data.store.BlockRegion;
import io.raftfs.data.store.BlockStore;
import io.raftfs.protocol.DataNodeProtocol;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET} and {@code HEAD /blocks/{id}}: whole blocks and single ranges, sent zero-copy from
 * the block's file or pack. Every answer carries the CRC32C of the whole block, and a range aligned
 * to checksum chunks the stored CRC32C of each of its chunks ({@link
 * DataNodeProtocol#CHUNK_CRC32C}), so readers verify end to end. Served only with a READ token for
 * the block ({@link BlockAccess}).
 */
final class GetBlockHandler implements Handler<RoutingContext> {
  private final Vertx vertx;
  private final BlockStore store;
  private final BlockAccess access;
  private final Supplier<String> selfAddress;

  GetBlockHandler(Vertx vertx, BlockStore store, BlockAccess access, Supplier<String> selfAddress) {
    this.vertx = vertx;
    this.store = store;
    this.access = access;
    this.selfAddress = selfAddress;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    long blockId;
    try {
      blockId = BlockId.parse(ctx.pathParam("id"));
    } catch (IllegalArgumentException e) {
      HttpErrors.send(ctx.request(), 400, e.getMessage());
      return;
    }
    try {
      access.check(
          ctx.request().getHeader(DataNodeProtocol.BLOCK_TOKEN),
          blockId,
          BlockTokens.Op.READ,
          List.of(selfAddress.get()));
    } catch (BlockTokenException e) {
      HttpErrors.send(ctx.request(), e.status(), e.getMessage());
      return;
    }
    Optional<BlockEntry> found = store.get(blockId);
    Optional<BlockRegion> region = store.region(blockId);
    if (found.isEmpty() || region.isEmpty()) {
      HttpErrors.send(ctx.request(), 404, "no block " + BlockId.format(blockId));
      return;
    }
    BlockEntry block = found.get();
    response
        .putHeader(DataNodeProtocol.CRC32C, Long.toString(block.crc32c()))
        .putHeader(HttpHeaders.ACCEPT_RANGES, "bytes")
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/octet-stream");
    long offset = 0;
    long length = block.length();
    String rangeHeader = ctx.request().getHeader("Range");
    if (rangeHeader != null) {
      Optional<ByteRange> range = ByteRange.parse(rangeHeader, block.length());
      if (range.isEmpty()) {
        response.putHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + block.length());
        HttpErrors.send(
            ctx.request(),
            416,
            "range '"
                + rangeHeader
                + "' not satisfiable for a block of "
                + block.length()
                + " bytes");
        return;
      }
      offset = range.get().offset();
      length = range.get().length();
      response
          .setStatusCode(206)
          .putHeader(HttpHeaders.CONTENT_RANGE, range.get().contentRange(block.length()));
    }
    response.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(length));
    if (ctx.request().method() == HttpMethod.HEAD || length == 0) {
      response.end();
      return;
    }
    if (rangeHeader != null && DataNodeProtocol.chunkAligned(offset, length, block.length())) {
      long from = offset;
      long count = length;
      // The checksums of a block of its own are in its sidecar file: read off the event loop.
      vertx
          .executeBlocking(() -> store.checksums(block))
          .onComplete(
              checksums -> {
                if (checksums.failed()) {
                  response.headers().clear();
                  HttpErrors.send(
                      ctx.request(),
                      404,
                      "block "
                          + BlockId.format(blockId)
                          + " has no readable checksums here: "
                          + checksums.cause().getMessage());
                  return;
                }
                int first = (int) (from / DataNodeProtocol.CHUNK_BYTES);
                int chunks =
                    (int)
                        ((count + DataNodeProtocol.CHUNK_BYTES - 1) / DataNodeProtocol.CHUNK_BYTES);
                response.putHeader(
                    DataNodeProtocol.CHUNK_CRC32C,
                    DataNodeProtocol.formatChunkCrcs(
                        checksums.result().chunkCrcs(), first, chunks));
                send(ctx, blockId, region.get(), from, count);
              });
      return;
    }
    send(ctx, blockId, region.get(), offset, length);
  }

  private static void send(
      RoutingContext ctx, long blockId, BlockRegion region, long offset, long length) {
    HttpServerResponse response = ctx.response();
    response
        .sendFile(region.file().toString(), region.offset() + offset, length)
        .onFailure(
            e -> {
              // Deleted between lookup and open: nothing was sent yet, say so.
              if (!response.headWritten()) {
                response.headers().clear();
                HttpErrors.send(
                    ctx.request(), 404, "block " + BlockId.format(blockId) + " is gone");
              } else {
                response.reset();
              }
            });
  }
}
