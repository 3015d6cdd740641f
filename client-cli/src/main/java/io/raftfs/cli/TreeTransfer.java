package io.raftfs.cli;

import io.raftfs.client.TransferListener;
import io.raftfs.protocol.OneLine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Moves the files of {@code put -R} and {@code get -R}: each file is its own put or get, so each
 * appears whole or not at all, as one file does; up to N run at once on one client. A file that
 * fails is reported on stderr and the others go on, as HDFS's {@code -put} of a directory does.
 *
 * <pre>{@code
 * TreeTransfer transfer = new TreeTransfer("put", 16, err);
 * transfer.add("a/b.txt", 4096, progress -> client.put(local, "/dst/a/b.txt", options, progress));
 * TreeTransfer.Summary summary = transfer.run(root);
 * }</pre>
 */
final class TreeTransfer {
  /** One file's put or get, reporting its bytes to {@code progress}. */
  @FunctionalInterface
  interface FileTask {
    void run(TransferListener progress) throws Exception;
  }

  private record FileJob(String name, long bytes, FileTask task) {}

  /** A file that was not moved, with the status the single-file verb would have exited with. */
  record Failure(String name, String message, ExitCode exit) {}

  /** What a tree transfer did. */
  record Summary(int files, long bytes, List<Failure> failures, long nanos) {
    /** The status of the whole command: the failures' own, if they share one. */
    ExitCode exit() {
      if (failures.isEmpty()) {
        return ExitCode.OK;
      }
      ExitCode first = failures.get(0).exit();
      return failures.stream().allMatch(f -> f.exit() == first) ? first : ExitCode.FAILURE;
    }

    JsonObject json() {
      JsonArray failed = new JsonArray();
      failures.forEach(
          f ->
              failed.add(
                  new JsonObject()
                      .put("path", f.name())
                      .put("error", f.message())
                      .put("exit", f.exit().code)));
      return new JsonObject()
          .put("files", files)
          .put("moved", files - failures.size())
          .put("failed", failures.size())
          .put("bytes", bytes)
          .put("seconds", nanos / 1e9)
          .put("failures", failed);
    }
  }

  private final String verb;
  private final int parallelism;
  private final PrintWriter err;
  private final List<FileJob> jobs = new ArrayList<>();
  private final List<Failure> failures = new ArrayList<>();
  private final AtomicInteger finished = new AtomicInteger();
  private final AtomicLong movedBytes = new AtomicLong();
  // What the bar counts to: a failed file's bytes leave it.
  private final AtomicLong expectedBytes = new AtomicLong();

  TreeTransfer(String verb, int parallelism, PrintWriter err) {
    this.verb = verb;
    this.parallelism = parallelism;
    this.err = err;
  }

  void add(String name, long bytes, FileTask task) {
    jobs.add(new FileJob(name, bytes, task));
    expectedBytes.addAndGet(bytes);
  }

  /** Records a file that was found but cannot be moved (e.g. an unreadable local directory). */
  void fail(String name, Exception error) {
    Failure failure =
        new Failure(
            name, OneLine.of(ExitCode.describe(error), OneLine.MAX_CHARS), ExitCode.of(error));
    synchronized (failures) {
      failures.add(failure);
    }
    synchronized (err) {
      err.println("raftfs: " + verb + " " + name + ": " + failure.message());
      err.flush();
    }
  }

  /** Moves every file added, then returns what happened. */
  Summary run(RaftfsCommand root) throws InterruptedException {
    long start = System.nanoTime();
    int total = jobs.size();
    try (ProgressBar bar =
        ProgressBar.forCommand(
            root, () -> String.format(Locale.ROOT, "%d/%d files", finished.get(), total))) {
      bar.started(expectedBytes.get());
      ExecutorService pool =
          Executors.newFixedThreadPool(
              Math.max(1, Math.min(parallelism, total)),
              task -> {
                Thread thread = new Thread(task, "raftfs-tree-" + verb);
                thread.setDaemon(true);
                return thread;
              });
      try {
        for (FileJob job : jobs) {
          pool.execute(() -> move(job, bar));
        }
        pool.shutdown();
        while (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
          // the progress bar redraws meanwhile
        }
      } finally {
        pool.shutdownNow();
      }
    }
    List<Failure> result;
    synchronized (failures) {
      result = List.copyOf(failures);
    }
    return new Summary(total, movedBytes.get(), result, System.nanoTime() - start);
  }

  private void move(FileJob job, ProgressBar bar) {
    AtomicLong moved = new AtomicLong();
    TransferListener progress =
        new TransferListener() {
          @Override
          public void started(long bytes) {}

          @Override
          public void transferred(long bytes) {
            moved.addAndGet(bytes);
            bar.transferred(bytes);
          }
        };
    try {
      job.task().run(progress);
      movedBytes.addAndGet(moved.get());
    } catch (Exception e) {
      bar.transferred(-moved.get());
      bar.started(expectedBytes.addAndGet(-job.bytes()));
      fail(job.name(), e);
    } finally {
      finished.incrementAndGet();
    }
  }
}
