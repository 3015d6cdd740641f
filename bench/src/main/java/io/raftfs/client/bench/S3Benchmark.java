package io.raftfs.client.bench;

import static io.raftfs.client.bench.Report.line;
import static io.raftfs.client.bench.Report.load;

import io.raftfs.client.FileSystemClient;
import io.raftfs.client.PutOptions;
import io.raftfs.client.TransferListener;
import io.raftfs.client.bench.Timed.Stats;
import io.raftfs.concurrent.CommonPool;
import io.raftfs.tls.TlsIdentity;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.TrustManager;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

/**
 * The S3 gateway's figures of issue 20, all in one run on one secured cluster ({@code
 * deploy/cluster up}: 3 masters, 3 data nodes and one gateway, separate JVMs on this machine), each
 * beside the native client's ({@link FileSystemClient} in this JVM) on the same cluster:
 *
 * <ol>
 *   <li><b>big</b>: put and get of one 1 GiB object with the AWS SDK for Java v2 (one plain PUT:
 *       the gateway has no multipart upload yet) vs the native put and get of the same file;
 *       targets: S3 at least 85 % of native;
 *   <li><b>small</b>: 4 KiB objects, put then get, by N threads (one shared S3 client, one shared
 *       native client); targets: at least 75 % of native, each way;
 *   <li><b>list</b>: ListObjectsV2 of 10,000 keys under a prefix in pages of 1,000, the whole
 *       listing timed (the best and the median of several); target: at most 1 s.
 * </ol>
 *
 * Both sides sign as the superuser (the key deploy/cluster makes) and write 3 replicas. Every timed
 * phase shows the CPU all the JVMs used per operation ({@link CpuMeter}: this one, the masters, the
 * data nodes and the gateway), and every line the load average when it was measured.
 *
 * <p>Run: {@code bench/s3 [--big-mb 1024] [--threads 16] [--seconds 15] [--warmup 60] [--keys
 * 10000] [--page 1000] [--listings 5] [--phases big,small,list] [--run-dir DIR]}; {@code --phases}
 * runs only the named ones.
 */
public final class S3Benchmark {
  private static final int SMALL = 4096;
  private static final String BUCKET = "bench";

  private final LocalCluster cluster;
  private final CpuMeter cpu;
  private final Path files;
  private final FileSystemClient nativeClient;
  private final S3Client s3;

  private S3Benchmark(LocalCluster cluster, int threads) throws Exception {
    this.cluster = cluster;
    this.cpu = new CpuMeter(cluster.runDir());
    this.files = cluster.runDir().resolve("bench-files");
    Files.createDirectories(files);
    this.nativeClient = cluster.newClient();
    String endpoint = cluster.env("AWS_ENDPOINT_URL");
    if (endpoint == null) {
      throw new IllegalStateException("the cluster runs no S3 gateway (an --insecure cluster?)");
    }
    Apache5HttpClient.Builder http = Apache5HttpClient.builder().maxConnections(threads * 2);
    if (endpoint.startsWith("https:")) {
      // A gateway speaking TLS has a certificate from the cluster's CA.
      TrustManager[] trust = {TlsIdentity.trusting(cluster.caFile()).trustManager()};
      http.tlsTrustManagersProvider(() -> trust);
    }
    this.s3 =
        S3Client.builder()
            .endpointOverride(URI.create(endpoint))
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .httpClientBuilder(http)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(cluster.rootKey().id(), cluster.rootKey().secret())))
            .build();
  }

  public static void main(String[] args) throws Exception {
    CommonPool.ensureShared();
    Path repo = Path.of(".").toAbsolutePath().normalize();
    Path runDir = null;
    int bigMb = 1024;
    int threads = 16;
    int seconds = 15;
    int warmup = 60;
    int keys = 10_000;
    int page = 1000;
    int listings = 5;
    List<String> phases = List.of("big", "small", "list");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--repo" -> repo = Path.of(args[++i]).toAbsolutePath().normalize();
        case "--run-dir" -> runDir = Path.of(args[++i]).toAbsolutePath();
        case "--big-mb" -> bigMb = Integer.parseInt(args[++i]);
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--keys" -> keys = Integer.parseInt(args[++i]);
        case "--page" -> page = Integer.parseInt(args[++i]);
        case "--listings" -> listings = Integer.parseInt(args[++i]);
        case "--phases" -> phases = List.of(args[++i].split(","));
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (runDir == null) {
      runDir = repo.resolve("run/bench-s3");
    }
    System.out.printf(
        "raftfs S3 gateway benchmark: %d cores, run directory %s, %s%n",
        Runtime.getRuntime().availableProcessors(), runDir, load());
    try (LocalCluster cluster = LocalCluster.start(repo, runDir, false)) {
      S3Benchmark bench = new S3Benchmark(cluster, threads);
      try {
        bench.s3.createBucket(b -> b.bucket(BUCKET));
        if (phases.contains("big")) {
          bench.bigObject(bigMb);
        }
        if (phases.contains("small")) {
          bench.smallObjects(threads, seconds, warmup);
        }
        if (phases.contains("list")) {
          bench.listing(threads, keys, page, listings);
        }
      } finally {
        bench.s3.close();
        bench.nativeClient.close();
      }
    }
    System.out.printf("done, %s%n", load());
  }

  // ------------------------------------------------------------------ 1. one big object

  private void bigObject(int megabytes) throws Exception {
    long bytes = (long) megabytes << 20;
    Path original = files.resolve("big.bin");
    ClusterBenchmark.writeRandom(original, bytes);
    PutOptions options = new PutOptions(3, PutOptions.DEFAULT_BLOCK_SIZE, true);
    String label = megabytes + " MiB";

    double nativePut =
        transfer(
            "native put " + label,
            bytes,
            () -> {
              try (InputStream in = Files.newInputStream(original)) {
                nativeClient.put(
                    in, "/" + BUCKET + "/native-big.bin", options, TransferListener.NONE);
              }
            });
    double s3Put =
        transfer(
            "S3 put " + label + " (one PUT)",
            bytes,
            () ->
                s3.putObject(b -> b.bucket(BUCKET).key("big.bin"), RequestBody.fromFile(original)));
    ratio("S3 put vs native (target >= 85 %)", s3Put, nativePut, 85);

    double nativeGet =
        transfer(
            "native get " + label,
            bytes,
            () ->
                nativeClient.get(
                    "/" + BUCKET + "/native-big.bin",
                    OutputStream.nullOutputStream(),
                    TransferListener.NONE));
    double s3Get =
        transfer(
            "S3 get " + label,
            bytes,
            () -> {
              try (InputStream in = s3.getObject(b -> b.bucket(BUCKET).key("big.bin"))) {
                long read = in.transferTo(OutputStream.nullOutputStream());
                if (read != bytes) {
                  throw new IllegalStateException("read " + read + " of " + bytes + " bytes");
                }
              }
            });
    ratio("S3 get vs native (target >= 85 %)", s3Get, nativeGet, 85);
    Files.delete(original);
    s3.deleteObject(b -> b.bucket(BUCKET).key("big.bin"));
    nativeClient.delete("/" + BUCKET + "/native-big.bin", false);
  }

  private interface Transfer {
    void run() throws Exception;
  }

  /** Times one transfer of {@code bytes}; prints MB/s and CPU seconds per GiB; returns MB/s. */
  private double transfer(String name, long bytes, Transfer transfer) throws Exception {
    CpuMeter.Sample before = cpu.sample();
    long start = System.nanoTime();
    transfer.run();
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpuSeconds = cpu.sample().cpuSecondsSince(before);
    double rate = bytes / seconds / 1e6;
    line(
        name,
        String.format(
            "%8.1f MB/s  (%.1f s, CPU %s s/GiB)",
            rate,
            seconds,
            cpuSeconds < 0 ? "?" : String.format("%.1f", cpuSeconds * (1L << 30) / bytes)));
    return rate;
  }

  private static void ratio(String name, double s3, double nativeFigure, int targetPercent) {
    double percent = 100 * s3 / nativeFigure;
    line(
        name,
        String.format("%8.0f %%  %s", percent, percent >= targetPercent ? "(met)" : "(NOT met)"));
  }

  // ------------------------------------------------------------------ 2. small objects

  private void smallObjects(int threads, int seconds, int warmup) throws Exception {
    byte[] data = new byte[SMALL];
    new SplittableRandom(1).nextBytes(data);
    for (int t = 0; t < threads; t++) {
      nativeClient.mkdir("/" + BUCKET + "/native/t" + t, true);
      nativeClient.mkdir("/" + BUCKET + "/warm/t" + t, true);
    }
    if (warmup > 0) {
      // Seven JVMs share the cores: the first minute measures their JIT compilers, not raftfs.
      Stats warm =
          Timed.run(
              cpu,
              threads,
              warmup,
              (t, i) -> {
                if (t % 2 == 0) {
                  nativePut(t, i, data, "warm");
                } else {
                  s3.putObject(
                      b -> b.bucket(BUCKET).key("warm/t" + t + "/f" + i),
                      RequestBody.fromBytes(data));
                }
              });
      line("warm-up (unmeasured), native and S3 small puts", warm.summary("ops/s"));
    }
    int[] nativeWritten = new int[threads];
    Stats nativePut =
        Timed.run(
            cpu,
            threads,
            seconds,
            (t, i) -> {
              nativePut(t, i, data, "native");
              nativeWritten[t] = i + 1;
            });
    line("native 4 KiB put x" + threads, nativePut.summary("ops/s"));
    int[] s3Written = new int[threads];
    Stats s3Put =
        Timed.run(
            cpu,
            threads,
            seconds,
            (t, i) -> {
              s3.putObject(
                  b -> b.bucket(BUCKET).key("small/t" + t + "/f" + i), RequestBody.fromBytes(data));
              s3Written[t] = i + 1;
            });
    line("S3 4 KiB put x" + threads, s3Put.summary("ops/s"));
    line(
        "  CPU per put: native / S3",
        nativePut.cpuPerOperation() + " / " + s3Put.cpuPerOperation());
    ratio("S3 small put vs native (target >= 75 %)", s3Put.rate(), nativePut.rate(), 75);

    Stats nativeGet =
        Timed.run(
            cpu,
            threads,
            seconds,
            (t, i) -> {
              ByteArrayOutputStream out = new ByteArrayOutputStream(SMALL);
              nativeClient.get(
                  "/" + BUCKET + "/native/t" + t + "/f" + (i % nativeWritten[t]),
                  out,
                  TransferListener.NONE);
              check(out.size());
            });
    line("native 4 KiB get x" + threads, nativeGet.summary("ops/s"));
    Stats s3Get =
        Timed.run(
            cpu,
            threads,
            seconds,
            (t, i) ->
                check(
                    s3.getObjectAsBytes(
                            b -> b.bucket(BUCKET).key("small/t" + t + "/f" + (i % s3Written[t])))
                        .asByteArray()
                        .length));
    line("S3 4 KiB get x" + threads, s3Get.summary("ops/s"));
    line(
        "  CPU per get: native / S3",
        nativeGet.cpuPerOperation() + " / " + s3Get.cpuPerOperation());
    ratio("S3 small get vs native (target >= 75 %)", s3Get.rate(), nativeGet.rate(), 75);
  }

  private void nativePut(int thread, int iteration, byte[] data, String dir) throws Exception {
    nativeClient.put(
        new ByteArrayInputStream(data),
        "/" + BUCKET + "/" + dir + "/t" + thread + "/f" + iteration,
        new PutOptions(3, PutOptions.DEFAULT_BLOCK_SIZE, true),
        TransferListener.NONE);
  }

  private static void check(int size) {
    if (size != SMALL) {
      throw new IllegalStateException("read " + size + " bytes");
    }
  }

  // ------------------------------------------------------------------ 3. listing

  private void listing(int threads, int keys, int page, int runs) throws Exception {
    String prefix = "listing/";
    byte[] data = new byte[16];
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      long start = System.nanoTime();
      List<Future<?>> puts = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        puts.add(
            pool.submit(
                () -> {
                  for (int k = thread; k < keys; k += threads) {
                    String key = String.format("%skey-%06d", prefix, k);
                    s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(data));
                  }
                  return null;
                }));
      }
      for (Future<?> put : puts) {
        put.get();
      }
      line(
          "setup: " + keys + " keys put through S3",
          String.format("%8.1f s", (System.nanoTime() - start) / 1e9));
    } finally {
      pool.shutdownNow();
    }
    List<Double> times = new ArrayList<>();
    for (int run = 0; run < runs; run++) {
      CpuMeter.Sample before = cpu.sample();
      long start = System.nanoTime();
      int listed = 0;
      int pages = 0;
      String token = null;
      do {
        String continuation = token;
        ListObjectsV2Response response =
            s3.listObjectsV2(
                b -> b.bucket(BUCKET).prefix(prefix).maxKeys(page).continuationToken(continuation));
        listed += response.contents().size();
        pages++;
        token = response.isTruncated() ? response.nextContinuationToken() : null;
      } while (token != null);
      double seconds = (System.nanoTime() - start) / 1e9;
      if (listed != keys) {
        throw new IllegalStateException("listed " + listed + " of " + keys + " keys");
      }
      times.add(seconds);
      line(
          "list " + keys + " keys, pages of " + page + " (run " + (run + 1) + ")",
          String.format(
              "%8.3f s  (%d pages, CPU %.2f s)",
              seconds, pages, cpu.sample().cpuSecondsSince(before)));
    }
    List<Double> sorted = times.stream().sorted().toList();
    double median = sorted.get(sorted.size() / 2);
    line(
        "list " + keys + " keys: best / median (target <= 1 s)",
        String.format(
            "%8.3f s / %.3f s  %s", sorted.get(0), median, median <= 1.0 ? "(met)" : "(NOT met)"));
  }
}
