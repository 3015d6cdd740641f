package io.raftfs.data.replication;

import io.raftfs.data.store.BlockChecksummer;
import io.raftfs.data.store.BlockChecksums;
import io.raftfs.data.store.BlockEntry;
import io.raftfs.data.store.BlockStore;
import io.raftfs.data.store.PendingBlock;
import io.raftfs.data.tls.NodeClient;
import io.raftfs.proto.BlockToken;
import io.raftfs.protocol.DataNodeProtocol;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * One block upload on one node of a chain: the request body goes to a local temp file and, at the
 * same time, to the next node, with back-pressure from both. The block is stored only when the body
 * had the announced length and CRC32C, the local copy is fsynced and the next node answered 201; on
 * any failure nothing is left on this node, and the next node is reset (it then discards its copy)
 * or, if it had already stored the block, asked to delete it.
 *
 * <p>A small body ({@link #SMALL_BODY_BYTES}) is collected in memory instead and appended to a pack
 * (group-committed with the other small blocks of this node), while the next node (if any) stores
 * its copy; its commit then only changes the index.
 *
 * <p>A sender that falls below the minimum pace ({@link SenderPace}) fails the upload with 408: its
 * reservation would otherwise last as long as it keeps trickling.
 *
 * <p>All state changes happen on the request's event loop; disk work runs on workers.
 */
public final class ChainUpload {
  /** Several chunks in flight to the disk keep it busy without holding much memory. */
  private static final int FILE_WRITE_QUEUE_BYTES = 1 << 20;

  /**
   * A body this small is collected and packed ({@link PendingBlock#prepareInPack}): streaming it
   * through a file of its own costs a file create, rename and three fsyncs, which were half of a
   * data node's CPU for 4 KiB files.
   */
  static final int SMALL_BODY_BYTES = BlockStore.PACKED_MAX_BYTES;

  private enum State {
    STARTING,
    STREAMING,
    FINISHING,
    COMMITTING,
    DONE
  }

  private final Vertx vertx;
  private final Context context;
  private final NodeClient client;
  private final HttpServerRequest request;
  private final PendingBlock pending;
  private final long expectedCrc32c;
  private final List<String> pipeline;
  private final BlockToken token;
  private final String selfAddress;
  private final SenderPace pace;
  private final BlockChecksummer checksummer = new BlockChecksummer();
  private final Promise<UploadResult> result = Promise.promise();
  private Future<Void> ready;
  private AsyncFile file;
  private Buffer smallBody;
  private Future<Void> fileClosed;
  private Downstream downstream;
  private State state = State.STARTING;

  private ChainUpload(
      Vertx vertx,
      NodeClient client,
      HttpServerRequest request,
      PendingBlock pending,
      long expectedCrc32c,
      List<String> pipeline,
      BlockToken token,
      String selfAddress,
      SenderPace pace) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.client = client;
    this.request = request;
    this.pending = pending;
    this.expectedCrc32c = expectedCrc32c;
    this.pipeline = pipeline;
    this.token = token;
    this.selfAddress = selfAddress;
    this.pace = pace;
  }

  /**
   * Receives the body of {@code request} into {@code pending}. The request must be paused (no chunk
   * may arrive before the file and the downstream are ready). Fails with {@link UploadFailure}.
   *
   * @param token the request's verified block token, which names the node id of each address of the
   *     pipeline (the default instance when tokens are off: any data node will do)
   */
  public static Future<UploadResult> run(
      Vertx vertx,
      NodeClient client,
      HttpServerRequest request,
      PendingBlock pending,
      long expectedCrc32c,
      List<String> pipeline,
      BlockToken token,
      String selfAddress,
      SenderPace pace) {
    return new ChainUpload(
            vertx, client, request, pending, expectedCrc32c, pipeline, token, selfAddress, pace)
        .start();
  }

  private Future<UploadResult> start() {
    request.exceptionHandler(e -> fail(new UploadFailure(400, "upload interrupted: " + e)));
    boolean small = pending.length() <= SMALL_BODY_BYTES;
    Future<AsyncFile> opened =
        small
            ? Future.succeededFuture()
            : vertx
                .fileSystem()
                .open(
                    pending.tempFile().toString(),
                    new OpenOptions().setWrite(true).setCreateNew(true));
    if (small) {
      smallBody = Buffer.buffer((int) pending.length());
    }
    Future<Downstream> connected =
        pipeline.isEmpty()
            ? Future.succeededFuture()
            : Downstream.open(
                client,
                pipeline,
                token,
                pending.blockId(),
                pending.length(),
                expectedCrc32c,
                request.getHeader(DataNodeProtocol.BLOCK_TOKEN));
    // Both fields are set here, before anyone waiting on "ready" looks at them.
    ready =
        Future.join(opened, connected)
            .transform(
                ar -> {
                  file = opened.succeeded() ? opened.result() : null;
                  downstream = connected.succeeded() ? connected.result() : null;
                  return Future.<Void>succeededFuture();
                });
    ready.onComplete(
        ar -> {
          if (opened.failed()) {
            fail(new UploadFailure(500, "cannot create temp file: " + opened.cause()));
          } else if (connected.failed()) {
            fail(asFailure(connected.cause()));
          } else if (state == State.STARTING) {
            stream();
          }
        });
    return result.future();
  }

  private void stream() {
    state = State.STREAMING;
    if (file != null) {
      file.setWriteQueueMaxSize(FILE_WRITE_QUEUE_BYTES);
      file.exceptionHandler(e -> fail(new UploadFailure(500, "local write failed: " + e)));
      file.drainHandler(v -> resumeIfWritable());
    }
    if (downstream != null) {
      downstream.request().drainHandler(v -> resumeIfWritable());
      // The next node may give up early (its own disk, its downstream): stop at once then.
      downstream.replicas().onFailure(e -> fail(asFailure(e)));
    }
    if (request.isEnded()) {
      // An empty body may have ended before any handler was set; no end event will come.
      onBodyEnd();
      return;
    }
    request.handler(this::onChunk);
    request.endHandler(v -> onBodyEnd());
    pace.start(
        () ->
            fail(
                new UploadFailure(
                    408,
                    "body too slow: fewer than "
                        + pace.minBytesPerWindow()
                        + " bytes in "
                        + pace.window().toMillis()
                        + " ms")));
    request.resume();
  }

  private void onChunk(Buffer chunk) {
    if (state != State.STREAMING) {
      return;
    }
    // Read in place: a copy of every chunk would cost as much as the checksum itself.
    pace.received(chunk.length());
    for (ByteBuffer piece : ((BufferInternal) chunk).getByteBuf().nioBuffers()) {
      checksummer.update(piece);
    }
    if (checksummer.length() > pending.length()) {
      fail(new UploadFailure(422, "body longer than Content-Length " + pending.length()));
      return;
    }
    if (smallBody != null) {
      smallBody.appendBuffer(chunk);
    } else {
      file.write(chunk);
    }
    if (downstream != null) {
      downstream.request().write(chunk);
    }
    if (!writable()) {
      request.pause();
      pace.holdBack();
    }
  }

  private boolean writable() {
    return (file == null || !file.writeQueueFull())
        && (downstream == null || !downstream.request().writeQueueFull());
  }

  private void resumeIfWritable() {
    if (state == State.STREAMING && writable()) {
      pace.release();
      request.resume();
    }
  }

  private void onBodyEnd() {
    if (state != State.STREAMING) {
      return;
    }
    pace.stop();
    BlockChecksums checksums = checksummer.finish();
    if (checksums.length() != pending.length()) {
      fail(
          new UploadFailure(
              422,
              "body had " + checksums.length() + " bytes, Content-Length " + pending.length()));
      return;
    }
    if (checksums.crc32c() != expectedCrc32c) {
      fail(
          new UploadFailure(
              422,
              "CRC32C mismatch: body has "
                  + checksums.crc32c()
                  + ", X-Raftfs-Crc32c says "
                  + expectedCrc32c));
      return;
    }
    if (downstream == null) {
      // Nothing to wait for: a streamed block is prepared and committed in one worker trip, a
      // packed one is committed (an index change) as soon as its append is durable.
      state = State.COMMITTING;
      Future<Void> written = smallBody != null ? prepareInPack(checksums) : closeFile();
      written.onComplete(
          done ->
              commit(
                  List.of(),
                  () -> {
                    if (done.failed()) {
                      throw new IOException("local write failed", done.cause());
                    }
                    if (smallBody == null) {
                      pending.prepare(checksums);
                    }
                    return pending.commit();
                  }));
      return;
    }
    state = State.FINISHING;
    // close() waits for the queued writes (flush() does not), then fsync on a worker.
    Future<Void> local =
        smallBody != null
            ? prepareInPack(checksums)
            : closeFile()
                .compose(
                    v ->
                        vertx.executeBlocking(
                            () -> {
                              pending.prepare(checksums);
                              return null;
                            },
                            false));
    Future<List<String>> remote = downstream.request().end().compose(v -> downstream.replicas());
    Future.join(local, remote)
        .onComplete(
            ar -> {
              if (state != State.FINISHING) {
                return;
              }
              if (remote.failed()) {
                fail(asFailure(remote.cause()));
              } else if (local.failed()) {
                cleanUpDownstream(remote.result());
                fail(new UploadFailure(500, "local write failed: " + local.cause().getMessage()));
              } else {
                commit(remote.result(), pending::commit);
              }
            });
  }

  /** Appends the collected small body to a pack; completes on this upload's context. */
  private Future<Void> prepareInPack(BlockChecksums checksums) {
    return Future.fromCompletionStage(
        pending.prepareInPack(ByteBuffer.wrap(smallBody.getBytes()), checksums), context);
  }

  /** Runs {@code commitWork}: on a worker for a block in its own file, here for a packed one. */
  private void commit(List<String> downstreamReplicas, Callable<BlockEntry> commitWork) {
    state = State.COMMITTING;
    Future<BlockEntry> committed;
    if (smallBody == null) {
      committed = vertx.executeBlocking(commitWork, false);
    } else {
      try {
        committed = Future.succeededFuture(commitWork.call());
      } catch (Exception e) {
        committed = Future.failedFuture(e);
      }
    }
    committed.onComplete(
        ar -> {
          state = State.DONE;
          if (ar.succeeded()) {
            result.complete(new UploadResult(ar.result(), replicas(downstreamReplicas)));
          } else {
            cleanUpDownstream(downstreamReplicas);
            vertx
                .executeBlocking(
                    () -> {
                      pending.abort();
                      return null;
                    },
                    false)
                .onComplete(
                    v ->
                        result.fail(
                            new UploadFailure(
                                500, "could not store block: " + ar.cause().getMessage())));
          }
        });
  }

  private List<String> replicas(List<String> downstreamReplicas) {
    List<String> all = new ArrayList<>();
    all.add(selfAddress);
    all.addAll(downstreamReplicas);
    return List.copyOf(all);
  }

  /**
   * Ends the upload without a block: drains the rest of the body (so the connection stays usable
   * and the answer reaches the client), resets the next node, drops the local temp file, and only
   * then reports the failure, so "nothing stored here" holds when the client reads the answer.
   */
  private void fail(UploadFailure failure) {
    if (state == State.COMMITTING || state == State.DONE) {
      return;
    }
    state = State.DONE;
    pace.stop();
    if (!request.isEnded()) {
      request.handler(chunk -> {});
      request.resume();
    }
    ready.onComplete(
        x -> {
          if (downstream != null) {
            downstream.abort();
          }
          closeFile()
              .otherwiseEmpty()
              .compose(
                  v ->
                      vertx.executeBlocking(
                          () -> {
                            pending.abort();
                            return null;
                          },
                          false))
              .onComplete(v -> result.fail(failure));
        });
  }

  /** close() waits for queued writes; a second close() would throw, so it happens once. */
  private Future<Void> closeFile() {
    if (file == null) {
      return Future.succeededFuture();
    }
    if (fileClosed == null) {
      fileClosed = file.close();
    }
    return fileClosed;
  }

  private void cleanUpDownstream(List<String> storedOn) {
    if (!storedOn.isEmpty()) {
      Downstream.deleteFrom(
          client,
          storedOn,
          token,
          pending.blockId(),
          request.getHeader(DataNodeProtocol.BLOCK_TOKEN));
    }
  }

  private static UploadFailure asFailure(Throwable e) {
    return e instanceof UploadFailure failure
        ? failure
        : new UploadFailure(500, "upload failed: " + e);
  }
}
