package io.raftfs.hadoop.bench;

import io.raftfs.client.FileSystemClient;
import io.raftfs.client.PutOptions;
import io.raftfs.client.TransferListener;
import io.raftfs.hadoop.SharedCluster;
import io.raftfs.testing.cluster.MiniRaftfsCluster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * TestDFSIO's write and read phases through {@code raftfs://} beside the same transfers through the
 * native client, on one in-process test cluster (3 masters, 3 data nodes), and the time of a {@code
 * listStatus} of a directory of 10,000 entries. Not a test: {@code bench/hadoop} runs it.
 *
 * <p>{@code bench/hadoop [--files 4] [--mb 256] [--entries 10000] [--rounds 2]}: {@code files}
 * writers (then readers) at once, each a file of {@code mb} MiB of 64 MiB blocks, 3 replicas; every
 * figure is the best of {@code rounds}. MB/s means 10^6 bytes per second of file data.
 */
public final class HadoopIoBenchmark {
  private static final int BUFFER = 1 << 20;
  private static final PutOptions NATIVE = new PutOptions(3, 64L << 20, true);

  private final FileSystem hadoop;
  private final FileSystemClient client;
  private final int files;
  private final long bytesPerFile;
  private final byte[] buffer = new byte[BUFFER];
  private final ExecutorService threads;

  private HadoopIoBenchmark(FileSystem hadoop, FileSystemClient client, int files, int mb) {
    this.hadoop = hadoop;
    this.client = client;
    this.files = files;
    this.bytesPerFile = (long) mb << 20;
    this.threads = Executors.newFixedThreadPool(files);
    new Random(1).nextBytes(buffer);
  }

  public static void main(String[] args) throws Exception {
    int files = option(args, "--files", 4);
    int mb = option(args, "--mb", 256);
    int entries = option(args, "--entries", 10_000);
    int rounds = option(args, "--rounds", 2);
    try (MiniRaftfsCluster cluster =
        MiniRaftfsCluster.builder()
            .dataNodes(3)
            .build()
            .start(Files.createTempDirectory("raftfs-hadoop-bench"))) {
      Configuration conf = SharedCluster.withCredentials(new Configuration(), cluster);
      try (FileSystem hadoop = FileSystem.get(SharedCluster.uri(cluster), conf);
          FileSystemClient client = cluster.newClient()) {
        HadoopIoBenchmark bench = new HadoopIoBenchmark(hadoop, client, files, mb);
        try {
          bench.transfers(rounds);
          bench.listing(entries);
        } finally {
          bench.threads.shutdownNow();
        }
      }
    }
  }

  private void transfers(int rounds) throws Exception {
    double[] best = new double[4];
    client.mkdir("/native", true);
    for (int round = 1; round <= rounds; round++) {
      double[] rates = {
        timed(i -> client.put(source(), "/native/f" + i, NATIVE, TransferListener.NONE)),
        timed(this::hadoopWrite),
        timed(
            i ->
                client.get(
                    "/native/f" + i, OutputStream.nullOutputStream(), TransferListener.NONE)),
        timed(this::hadoopRead)
      };
      System.out.printf(
          "round %d: write native %.0f MB/s, hadoop %.0f MB/s; read native %.0f MB/s,"
              + " hadoop %.0f MB/s%n",
          round, rates[0], rates[1], rates[2], rates[3]);
      for (int i = 0; i < 4; i++) {
        best[i] = Math.max(best[i], rates[i]);
      }
    }
    System.out.printf(
        "%d x %d MiB, best of %d: write hadoop/native %.0f / %.0f MB/s = %.0f %%,"
            + " read %.0f / %.0f MB/s = %.0f %%%n",
        files,
        bytesPerFile >> 20,
        rounds,
        best[1],
        best[0],
        100 * best[1] / best[0],
        best[3],
        best[2],
        100 * best[3] / best[2]);
  }

  private void hadoopWrite(int i) throws IOException {
    try (FSDataOutputStream out = hadoop.create(new Path("/hadoop/f" + i), true)) {
      for (long left = bytesPerFile; left > 0; left -= BUFFER) {
        out.write(buffer, 0, (int) Math.min(BUFFER, left));
      }
    }
  }

  private void hadoopRead(int i) throws IOException {
    byte[] into = new byte[BUFFER];
    long total = 0;
    try (FSDataInputStream in = hadoop.open(new Path("/hadoop/f" + i))) {
      for (int n; (n = in.read(into)) > 0; ) {
        total += n;
      }
    }
    if (total != bytesPerFile) {
      throw new IOException("read " + total + " of " + bytesPerFile + " bytes");
    }
  }

  /** What a native put uploads: the same bytes as a Hadoop writer, from memory. */
  private InputStream source() {
    return new InputStream() {
      private long left = bytesPerFile;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (left == 0) {
          return -1;
        }
        int n = (int) Math.min(Math.min(len, left), BUFFER);
        System.arraycopy(buffer, 0, b, off, n);
        left -= n;
        return n;
      }
    };
  }

  @FunctionalInterface
  private interface PerFile {
    void run(int file) throws Exception;
  }

  /** Runs one transfer per file at once; MB/s of all of them together. */
  private double timed(PerFile transfer) throws Exception {
    long start = System.nanoTime();
    List<Future<Object>> running = new ArrayList<>();
    for (int i = 0; i < files; i++) {
      int file = i;
      running.add(
          threads.submit(
              () -> {
                transfer.run(file);
                return null;
              }));
    }
    for (Future<Object> future : running) {
      future.get();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return files * bytesPerFile / seconds / 1e6;
  }

  private void listing(int entries) throws Exception {
    client.mkdir("/many", true);
    List<Future<Object>> created = new ArrayList<>();
    for (int i = 0; i < entries; i++) {
      String path = "/many/entry-" + i;
      created.add(
          threads.submit(
              () -> {
                client.put(
                    new ByteArrayInputStream(new byte[0]),
                    path,
                    new PutOptions(3, 64L << 20, true),
                    TransferListener.NONE);
                return null;
              }));
    }
    for (Future<Object> future : created) {
      future.get();
    }
    long[] millis = new long[7];
    for (int i = 0; i < millis.length; i++) {
      long start = System.nanoTime();
      int listed = hadoop.listStatus(new Path("/many")).length;
      millis[i] = (System.nanoTime() - start) / 1_000_000;
      if (listed != entries) {
        throw new IOException("listed " + listed + " of " + entries);
      }
    }
    Arrays.sort(millis);
    System.out.printf(
        "listStatus of %d entries: median %d ms, best %d ms, worst %d ms (%d runs)%n",
        entries, millis[millis.length / 2], millis[0], millis[millis.length - 1], millis.length);
  }

  private static int option(String[] args, String name, int value) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return value;
  }
}
