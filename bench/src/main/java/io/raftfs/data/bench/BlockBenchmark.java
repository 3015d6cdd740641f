package io.raftfs.data.bench;

import io.raftfs.data.replication.HostPort;
import io.raftfs.data.testing.DataNodeFixture;
import io.raftfs.protocol.DataNodeProtocol;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Throughput of data nodes on this machine, next to what the disk itself does with fsync.
 *
 * <p>Run (from the repository root): {@code bench/data [/path/on/the/disk/to/measure]}
 *
 * <p>Measures: raw sequential write + fsync bandwidth from Java; PUT and GET of 64 MiB blocks on
 * one node and through a chain of three (all nodes share this machine's disk and cores); 4 KiB
 * blocks from 16 concurrent writers on one node and through a chain of three. Not a test: numbers
 * depend on the machine.
 */
public final class BlockBenchmark {
  private static final int BIG = 64 << 20;
  private static final int BIG_BLOCKS = 6;
  private static final int SMALL = 4 << 10;
  private static final int SMALL_WRITERS = 16;
  private static final int SMALL_PER_WRITER = 150;
  private static final int PIECE = 1 << 20;

  private final Vertx vertx = Vertx.vertx();
  private final HttpClient client =
      vertx.createHttpClient(
          new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
          new PoolOptions().setHttp1MaxSize(SMALL_WRITERS));
  private final Buffer piece;
  private final long bigCrc;
  private final AtomicLong nextId = new AtomicLong(1);

  private BlockBenchmark() {
    byte[] bytes = new byte[PIECE];
    new Random(42).nextBytes(bytes);
    piece = Buffer.buffer(bytes);
    CRC32C crc = new CRC32C();
    for (int i = 0; i < BIG / PIECE; i++) {
      crc.update(bytes);
    }
    bigCrc = crc.getValue();
  }

  public static void main(String[] args) throws Exception {
    Path base =
        Files.createTempDirectory(
            Files.createDirectories(Path.of(args.length > 0 ? args[0] : "/tmp")), "raftfs-bench");
    BlockBenchmark bench = new BlockBenchmark();
    try {
      bench.run(base);
    } finally {
      bench.vertx.close().await();
      try (Stream<Path> files = Files.walk(base)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private void run(Path base) throws Exception {
    System.out.printf("data in %s%n", base);
    // Measured before and after the nodes run: other load on the disk shows up as a spread.
    double rawBefore = rawFsyncBandwidth(base);
    double onePut;
    double oneGet;
    double small;
    double chainPut;
    double chainSmall;
    try (DataNodeFixture one = DataNodeFixture.start(vertx, base.resolve("one"), 1)) {
      String node = one.addresses().get(0);
      onePut = bigPuts(node, List.of());
      oneGet = bigGets(node);
      small = smallPuts(node, List.of());
    }
    try (DataNodeFixture three = DataNodeFixture.start(vertx, base.resolve("three"), 3)) {
      List<String> chain = three.addresses();
      chainPut = bigPuts(chain.get(0), chain.subList(1, 3));
      chainSmall = smallPuts(chain.get(0), chain.subList(1, 3));
    }
    double rawAfter = rawFsyncBandwidth(base);
    double raw = Math.max(rawBefore, rawAfter);
    System.out.printf(
        "raw write+fsync, %d MiB files      : %8.1f MB/s  (before %.1f, after %.1f)%n",
        BIG >> 20, raw, rawBefore, rawAfter);
    System.out.printf(
        "PUT 64 MiB, 1 node                 : %8.1f MB/s  (%.0f%% of raw)%n",
        onePut, 100 * onePut / raw);
    System.out.printf("GET 64 MiB, 1 node (page cache)    : %8.1f MB/s%n", oneGet);
    System.out.printf("PUT 4 KiB, 16 writers, 1 node      : %8.0f blocks/s%n", small);
    System.out.printf("PUT 4 KiB, 16 writers, chain of 3 : %8.0f blocks/s%n", chainSmall);
    System.out.printf(
        "PUT 64 MiB, chain of 3             : %8.1f MB/s  (%.0f%% of raw/3 = %.1f MB/s)%n",
        chainPut, 100 * chainPut / (raw / 3), raw / 3);
  }

  private static double rawFsyncBandwidth(Path base) throws IOException {
    ByteBuffer data = ByteBuffer.allocateDirect(PIECE);
    long bytes = 0;
    long start = System.nanoTime();
    for (int f = 0; f < BIG_BLOCKS; f++) {
      Path file = base.resolve("raw-" + f);
      try (FileChannel channel =
          FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        for (int i = 0; i < BIG / PIECE; i++) {
          data.clear();
          while (data.hasRemaining()) {
            channel.write(data);
          }
        }
        channel.force(true);
      }
      bytes += BIG;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    for (int f = 0; f < BIG_BLOCKS; f++) {
      Files.delete(base.resolve("raw-" + f));
    }
    return bytes / seconds / 1e6;
  }

  private double bigPuts(String node, List<String> pipeline) {
    long start = System.nanoTime();
    for (int i = 0; i < BIG_BLOCKS; i++) {
      int status = put(node, nextId.getAndIncrement(), BIG, bigCrc, pipeline).await();
      if (status != 201) {
        throw new IllegalStateException("PUT answered " + status);
      }
    }
    return (double) BIG * BIG_BLOCKS / ((System.nanoTime() - start) / 1e9) / 1e6;
  }

  private double bigGets(String node) {
    long firstId = nextId.get() - BIG_BLOCKS;
    long bytes = 0;
    long start = System.nanoTime();
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < BIG_BLOCKS; i++) {
        bytes += get(node, firstId + i).await();
      }
    }
    return bytes / ((System.nanoTime() - start) / 1e9) / 1e6;
  }

  private double smallPuts(String node, List<String> pipeline) {
    CRC32C crc = new CRC32C();
    crc.update(piece.getBytes(0, SMALL));
    long smallCrc = crc.getValue();
    long start = System.nanoTime();
    List<Future<Void>> writers = new ArrayList<>();
    for (int w = 0; w < SMALL_WRITERS; w++) {
      writers.add(smallWriter(node, pipeline, smallCrc, SMALL_PER_WRITER));
    }
    Future.all(writers).await();
    return SMALL_WRITERS * SMALL_PER_WRITER / ((System.nanoTime() - start) / 1e9);
  }

  private Future<Void> smallWriter(String node, List<String> pipeline, long crc, int remaining) {
    if (remaining == 0) {
      return Future.succeededFuture();
    }
    return put(node, nextId.getAndIncrement(), SMALL, crc, pipeline)
        .compose(
            status ->
                status == 201
                    ? smallWriter(node, pipeline, crc, remaining - 1)
                    : Future.failedFuture("PUT answered " + status));
  }

  private Future<Integer> put(String node, long id, int length, long crc, List<String> pipeline) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.PUT)
            .setServer(HostPort.parse(node))
            .setURI("/blocks/" + id)
            .putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(length))
            .putHeader(DataNodeProtocol.CRC32C, Long.toString(crc));
    if (!pipeline.isEmpty()) {
      options.putHeader(DataNodeProtocol.PIPELINE, String.join(",", pipeline));
    }
    return client
        .request(options)
        .compose(
            request -> {
              Future<Integer> status =
                  request
                      .response()
                      .compose(
                          r ->
                              r.body()
                                  .map(
                                      b -> {
                                        if (r.statusCode() != 201) {
                                          System.err.println("PUT " + id + ": " + b);
                                        }
                                        return r.statusCode();
                                      }));
              write(request, length);
              return status;
            });
  }

  private void write(HttpClientRequest request, long remaining) {
    long left = remaining;
    while (left > 0) {
      if (request.writeQueueFull()) {
        long resumeWith = left;
        request.drainHandler(v -> write(request, resumeWith));
        return;
      }
      int n = (int) Math.min(PIECE, left);
      request.write(n == PIECE ? piece : piece.getBuffer(0, n));
      left -= n;
    }
    request.end();
  }

  private Future<Long> get(String node, long id) {
    Promise<Long> done = Promise.promise();
    vertx.runOnContext(
        v ->
            client
                .request(
                    HttpMethod.GET,
                    HostPort.parse(node).port(),
                    HostPort.parse(node).host(),
                    "/blocks/" + id)
                .compose(HttpClientRequest::send)
                .onSuccess(
                    response -> {
                      long[] bytes = {0};
                      response.handler(chunk -> bytes[0] += chunk.length());
                      response.endHandler(e -> done.complete(bytes[0]));
                      response.exceptionHandler(done::fail);
                    })
                .onFailure(done::fail));
    return done.future();
  }
}
