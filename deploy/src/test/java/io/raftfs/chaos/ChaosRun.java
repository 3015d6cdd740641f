package io.raftfs.chaos;

import io.raftfs.chaos.Op.Result;
import io.raftfs.chaos.Op.Type;
import io.raftfs.chaos.Worker.Generation;
import io.raftfs.chaos.Worker.Version;
import io.raftfs.client.FileSystemClient;
import io.raftfs.client.TransferListener;
import io.raftfs.client.meta.MetaClient;
import io.raftfs.client.meta.MetaClientOptions;
import io.raftfs.client.meta.PathNotFoundException;
import io.raftfs.concurrent.CommonPool;
import io.raftfs.proto.ClusterStatus;
import io.raftfs.proto.DataNodeStatus;
import io.raftfs.proto.FileStatus;
import io.raftfs.proto.FsckReport;
import io.raftfs.testing.cluster.ClusterProcess;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One chaos run: start the cluster, run the workload under the nemesis and the {@link
 * GarbageSender} for the given time, heal, check, print a summary (with the longest stretch without
 * a completed operation after each fault). {@link #main} is the long-run entry point ({@code
 * bench/chaos}).
 *
 * <p>Checks after healing: (1) every directory of every worker holds exactly what the history says
 * (acknowledged puts read back with their SHA-256 unless a later acknowledged write removed them; a
 * write without a definite answer may or may not have happened); (2) no get ever returned wrong
 * bytes (checked during the run); (3) acknowledged renames and deletes happened exactly once (the
 * same directory check); (4) fsck is healthy; (5) the three masters report the same digest at the
 * same applied index.
 */
public final class ChaosRun {

  /**
   * @param duration how long the workload runs under faults
   * @param seed drives the workload and the nemesis (timing still varies between runs)
   * @param clients concurrent workers
   * @param dataNodes data node processes (at least 4)
   * @param network also partition and slow down links (needs network namespaces)
   * @param dir run directory (configs, data, logs)
   * @param quietMillis least time between two faults of one kind (masters, data nodes)
   */
  public record Options(
      Duration duration,
      long seed,
      int clients,
      int dataNodes,
      boolean network,
      Path dir,
      long quietMillis) {}

  private final Options options;
  private final History history = new History();
  private final StringBuilder summary = new StringBuilder();

  ChaosRun(Options options) {
    this.options = options;
  }

  /** Runs it; returns the violations (empty when every check passed). */
  List<History.Violation> run() throws Exception {
    say(
        "seed %d, duration %s, %d clients, %d data nodes, network faults %s, dir %s",
        options.seed(),
        options.duration(),
        options.clients(),
        options.dataNodes(),
        options.network(),
        options.dir());
    Netns netns = null;
    if (options.network()) {
      StringBuilder whyNot = new StringBuilder();
      netns = Netns.create(options.dataNodes(), whyNot);
      if (netns == null) {
        say("SKIPPING network faults: cannot make network namespaces (%s)", whyNot);
      } else if (!netns.canDelay()) {
        say("SKIPPING slow links: tc netem does not work here (%s)", netns.noDelayReason());
      }
    }
    try (Netns ignored = netns;
        ChaosCluster cluster = ChaosCluster.start(options.dir(), options.dataNodes(), netns)) {
      say("cluster ready at %.1fs", history.now() / 1e9);
      List<Worker> workers = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < options.clients(); i++) {
        Worker worker =
            new Worker(i, options.seed(), history, cluster.masterAddresses(), cluster.rootKey());
        workers.add(worker);
        Thread thread = new Thread(worker, "worker-" + i);
        threads.add(thread);
      }
      threads.forEach(Thread::start);
      Nemesis nemesis =
          new Nemesis(cluster, history, options.seed(), netns != null, options.quietMillis());
      long workloadStart = history.now();
      nemesis.start();
      GarbageSender garbage = new GarbageSender(cluster, history, options.seed());
      garbage.start();
      long end = workloadStart + options.duration().toNanos();
      while (history.now() < end) {
        sleepUntil(Math.min(end, history.now() + 10_000_000_000L));
        progress();
      }
      say("stopping faults at %.1fs", history.now() / 1e9);
      nemesis.stop();
      garbage.stop();
      heal(cluster);
      workers.forEach(Worker::stop);
      for (Thread thread : threads) {
        thread.join(Duration.ofSeconds(60).toMillis());
        if (thread.isAlive()) {
          history.violation(
              "worker-stuck",
              null,
              thread.getName() + " did not finish its operation within 60 s after healing");
        }
      }
      long workloadEnd = history.now();
      say("workload stopped at %.1fs; checking", workloadEnd / 1e9);
      awaitHealed(cluster, Duration.ofSeconds(120));
      long checked = checkFinalState(cluster, workers);
      awaitFsckHealthy(cluster);
      checkDigests(cluster);
      summarize(nemesis.counts(), garbage, checked, workloadStart, workloadEnd);
    }
    List<History.Violation> violations = history.violations();
    if (!violations.isEmpty()) {
      explain(violations.get(0));
    }
    System.out.println(summary);
    return violations;
  }

  private void progress() {
    Map<Result, Integer> results = new EnumMap<>(Result.class);
    for (Op op : history.ops()) {
      results.merge(op.result(), 1, Integer::sum);
    }
    say(
        "%6.1fs operations so far %s, violations %d",
        history.now() / 1e9, results, history.violations().size());
  }

  // ---------------------------------------------------------------- healing

  private void heal(ChaosCluster cluster) throws Exception {
    cluster.resumeAll();
    for (ClusterProcess node : cluster.all()) {
      if (!node.jvm().running()) {
        if (!node.isMaster()) {
          cluster.setCapacity(node, 0);
        }
        node.jvm().start();
      }
    }
  }

  /** A leader, and every data node registered and alive: else a violation. */
  private void awaitHealed(ChaosCluster cluster, Duration timeout) {
    String[] last = new String[1];
    try (MetaClient meta = shortClient(cluster)) {
      boolean ready =
          waitFor(
              timeout,
              () -> {
                try {
                  ClusterStatus status = meta.clusterStatus();
                  long alive =
                      status.getDataNodesList().stream().filter(DataNodeStatus::getAlive).count();
                  last[0] = "leader '" + status.getLeaderId() + "', " + alive + " data nodes alive";
                  return !status.getLeaderId().isEmpty() && alive >= options.dataNodes();
                } catch (RuntimeException e) {
                  last[0] = e.toString();
                  return false;
                }
              });
      if (!ready) {
        history.violation(
            "unavailable",
            null,
            "no leader with all "
                + options.dataNodes()
                + " data nodes alive within "
                + timeout
                + " after healing; last answer: "
                + last[0]);
      }
    }
  }

  private static MetaClient shortClient(ChaosCluster cluster) {
    return new MetaClient(
        cluster.masterAddresses(),
        new MetaClientOptions(
            Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofMillis(200)),
        cluster.rootKey());
  }

  // ---------------------------------------------------------------- checks

  /** Every directory of every worker holds one of the states its history allows. */
  private long checkFinalState(ChaosCluster cluster, List<Worker> workers) {
    long checked = 0;
    try (FileSystemClient fs = Worker.newClient(cluster.masterAddresses(), cluster.rootKey())) {
      for (Worker worker : workers) {
        for (Generation generation : worker.generations()) {
          Map<String, String> actual = readDirectory(fs, generation.dir, worker);
          if (actual == null) {
            continue;
          }
          List<Map<String, Version>> candidates = generation.candidates();
          Map<String, Version> matched = null;
          for (Map<String, Version> candidate : candidates) {
            Map<String, String> shas = new TreeMap<>();
            candidate.forEach((name, version) -> shas.put(name, version.sha256()));
            if (shas.equals(actual)) {
              matched = candidate;
              break;
            }
          }
          if (matched == null) {
            Op at = generation.pending;
            history.violation(
                classifyMismatch(candidates.get(0), actual),
                at,
                generation.dir
                    + " holds "
                    + abbreviate(actual)
                    + "; the history allows "
                    + candidates.stream().map(ChaosRun::abbreviateVersions).toList());
          } else {
            checked += matched.size();
          }
        }
      }
    }
    return checked;
  }

  private static String classifyMismatch(
      Map<String, Version> expected, Map<String, String> actual) {
    for (String name : expected.keySet()) {
      if (!actual.containsKey(name)) {
        return "lost-file";
      }
    }
    return "namespace";
  }

  /** name → SHA-256 of every file in {@code dir}, read after healing; null after a violation. */
  private Map<String, String> readDirectory(FileSystemClient fs, String dir, Worker worker) {
    Map<String, String> contents = new TreeMap<>();
    List<FileStatus> listing = retry(() -> fs.list(dir));
    if (listing == null) {
      history.violation("unreadable", null, "cannot list " + dir + " after healing");
      return null;
    }
    for (FileStatus status : listing) {
      String sha =
          retry(
              () -> {
                MessageDigest digest = Worker.newDigest();
                try {
                  fs.get(
                      status.getPath(),
                      new OutputStream() {
                        @Override
                        public void write(int b) {
                          digest.update((byte) b);
                        }

                        @Override
                        public void write(byte[] b, int off, int len) {
                          digest.update(b, off, len);
                        }
                      },
                      TransferListener.NONE);
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
                return HexFormat.of().formatHex(digest.digest());
              });
      if (sha == null) {
        history.violation("unreadable", null, status.getPath() + " cannot be read after healing");
        return null;
      }
      if (!worker.everPut().containsKey(sha)) {
        history.violation(
            "corrupt-read", null, status.getPath() + " reads back bytes no put ever wrote");
      }
      contents.put(Worker.nameOf(status.getPath()), sha);
    }
    return contents;
  }

  private static <T> T retry(java.util.function.Supplier<T> call) {
    for (int attempt = 0; attempt < 10; attempt++) {
      try {
        return call.get();
      } catch (PathNotFoundException e) {
        throw e;
      } catch (RuntimeException e) {
        sleep(1000);
      }
    }
    return null;
  }

  private void awaitFsckHealthy(ChaosCluster cluster) {
    FsckReport[] last = new FsckReport[1];
    try (MetaClient meta = shortClient(cluster)) {
      boolean healthy =
          waitFor(
              Duration.ofSeconds(120),
              () -> {
                try {
                  last[0] = meta.fsck("/");
                  return last[0].getHealthy();
                } catch (RuntimeException e) {
                  return false;
                }
              });
      if (!healthy) {
        history.violation("fsck", null, "fsck / not healthy 120 s after healing: " + last[0]);
      } else {
        say("fsck healthy: %d files, %d blocks", last[0].getFiles(), last[0].getBlocks());
      }
    }
  }

  private static final Pattern APPLIED = Pattern.compile("\"appliedIndex\"\\s*:\\s*(\\d+)");
  private static final Pattern SHA = Pattern.compile("\"sha256\"\\s*:\\s*\"([0-9a-f]+)\"");

  /** All masters at one applied index must report one digest. */
  private void checkDigests(ChaosCluster cluster) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    String[] lastSeen = new String[1];
    boolean same =
        waitFor(
            Duration.ofSeconds(60),
            () -> {
              List<Long> indexes = new ArrayList<>();
              List<String> shas = new ArrayList<>();
              for (String address : cluster.masterAddresses()) {
                try {
                  String body =
                      http.send(
                              HttpRequest.newBuilder(URI.create("http://" + address + "/v1/digest"))
                                  .timeout(Duration.ofSeconds(5))
                                  .build(),
                              HttpResponse.BodyHandlers.ofString())
                          .body();
                  Matcher index = APPLIED.matcher(body);
                  Matcher sha = SHA.matcher(body);
                  if (!index.find() || !sha.find()) {
                    return false;
                  }
                  indexes.add(Long.parseLong(index.group(1)));
                  shas.add(sha.group(1));
                } catch (Exception e) {
                  return false;
                }
              }
              lastSeen[0] = indexes + " " + shas;
              if (indexes.stream().distinct().count() != 1) {
                return false;
              }
              if (shas.stream().distinct().count() != 1) {
                history.violation(
                    "diverged",
                    null,
                    "masters at applied index "
                        + indexes.get(0)
                        + " report different digests: "
                        + shas);
              }
              return true;
            });
    if (!same) {
      history.violation(
          "diverged",
          null,
          "the masters never reached one applied index within 60 s: " + lastSeen[0]);
    } else {
      say("digests agree: %s", lastSeen[0]);
    }
  }

  // ---------------------------------------------------------------- report

  private void summarize(
      Map<String, Integer> faults, GarbageSender garbage, long checked, long from, long to) {
    List<Op> ops = history.ops();
    Map<Type, Map<Result, Integer>> byType = new EnumMap<>(Type.class);
    for (Op op : ops) {
      byType
          .computeIfAbsent(op.type(), t -> new EnumMap<>(Result.class))
          .merge(op.result(), 1, Integer::sum);
    }
    List<History.Violation> violations = history.violations();
    long lost = violations.stream().filter(v -> v.kind().equals("lost-file")).count();
    long corrupt = violations.stream().filter(v -> v.kind().equals("corrupt-read")).count();
    summary
        .append("\n==== chaos summary (seed ")
        .append(options.seed())
        .append(", ")
        .append(options.duration())
        .append(") ====\n");
    summary.append("operations: ").append(ops.size()).append('\n');
    byType.forEach((type, results) -> summary.append(String.format("  %-6s %s%n", type, results)));
    summary.append("faults injected: ").append(faults).append('\n');
    Map<String, Integer> sent = garbage.sent();
    summary
        .append("garbage requests sent: ")
        .append(sent.values().stream().mapToInt(Integer::intValue).sum())
        .append(' ')
        .append(sent)
        .append('\n');
    summary.append("garbage answers: ").append(garbage.answers()).append('\n');
    long ackedPuts =
        ops.stream().filter(o -> o.type() == Type.PUT && o.result() == Result.OK).count();
    long checkedReads =
        ops.stream()
            .filter(o -> (o.type() == Type.GET || o.type() == Type.LS) && o.result() == Result.OK)
            .count();
    summary.append("acknowledged puts: ").append(ackedPuts).append('\n');
    summary
        .append("reads checked against the history during the run (get, ls): ")
        .append(checkedReads)
        .append('\n');
    summary
        .append("files checked after healing (latest acknowledged version of each): ")
        .append(checked)
        .append('\n');
    summary
        .append("lost = ")
        .append(lost)
        .append(", corrupt reads = ")
        .append(corrupt)
        .append(", violations = ")
        .append(violations.size())
        .append('\n');
    summary.append("unavailability windows (no operation succeeded for >= 2 s):\n");
    for (long[] window : unavailability(ops, from, to)) {
      summary.append(
          String.format(
              "  %8.3fs .. %8.3fs (%.1f s)  during: %s%n",
              window[0] / 1e9,
              window[1] / 1e9,
              (window[1] - window[0]) / 1e9,
              faultsDuring(window[0], window[1])));
    }
    stretches(ops, from, to);
    for (History.Violation violation : violations) {
      summary.append("VIOLATION ").append(violation).append('\n');
    }
    summary
        .append(violations.isEmpty() ? "PASS" : "FAIL (seed " + options.seed() + ")")
        .append('\n');
  }

  /**
   * After each fault, the longest stretch without a completed operation that began while the fault
   * was active ({@link Stretches}); one over {@link Stretches#BOUND} is flagged. Printed, not
   * asserted: a benchmark number.
   */
  private void stretches(List<Op> ops, long from, long to) {
    Stretches stretches = new Stretches(ops, from, to);
    long bound = Stretches.BOUND.toNanos();
    summary.append("longest stretch without a completed operation after each fault:\n");
    List<History.Fault> faults = history.faults();
    faults.sort(Comparator.comparingLong(History.Fault::startNanos));
    int over = 0;
    for (History.Fault fault : faults) {
      long longest = stretches.longestNanos(fault.startNanos(), fault.endNanos());
      over += longest > bound ? 1 : 0;
      summary.append(
          String.format(
              "  %8.3fs %-20s %-12s %6d ms%s%n",
              fault.startNanos() / 1e9,
              fault.kind(),
              fault.target(),
              longest / 1_000_000,
              longest > bound ? "  OVER " + Stretches.BOUND.toMillis() + " ms" : ""));
    }
    summary
        .append("longest stretch without a completed operation, overall: ")
        .append(stretches.longestNanos(from, to) / 1_000_000)
        .append(" ms; faults followed by one over ")
        .append(Stretches.BOUND.toMillis())
        .append(" ms: ")
        .append(over)
        .append(" of ")
        .append(faults.size())
        .append('\n');
  }

  /** When the operations with one of {@code results} ended, in order. */
  private static List<Long> endTimes(List<Op> ops, Result... results) {
    List<Result> wanted = List.of(results);
    List<Long> ends = new ArrayList<>();
    for (Op op : ops) {
      if (wanted.contains(op.result())) {
        ends.add(op.endNanos());
      }
    }
    ends.sort(null);
    return ends;
  }

  private static List<long[]> unavailability(List<Op> ops, long from, long to) {
    List<Long> successes = endTimes(ops, Result.OK);
    List<long[]> windows = new ArrayList<>();
    long previous = from;
    for (long at : successes) {
      if (at - previous >= 2_000_000_000L) {
        windows.add(new long[] {previous, at});
      }
      previous = Math.max(previous, at);
    }
    if (to - previous >= 2_000_000_000L) {
      windows.add(new long[] {previous, to});
    }
    return windows;
  }

  private String faultsDuring(long from, long to) {
    List<String> during = new ArrayList<>();
    for (History.Fault fault : history.faults()) {
      if (fault.startNanos() <= to && fault.endNanos() >= from) {
        during.add(fault.kind() + " " + fault.target());
      }
    }
    return during.toString();
  }

  /** The seed and the history around the first violation, so it can be replayed and read. */
  private void explain(History.Violation first) {
    summary
        .append("\n==== first violation (seed ")
        .append(options.seed())
        .append(") ====\n")
        .append(first)
        .append('\n');
    Op at = first.op();
    if (at == null) {
      return;
    }
    summary
        .append("-- this client's operations in its directory g")
        .append(at.generation())
        .append(":\n");
    for (Op op : history.ops()) {
      if (op.client() == at.client() && op.generation() == at.generation()) {
        summary.append("  ").append(op).append('\n');
      }
    }
    summary.append("-- faults within 30 s before it:\n");
    for (History.Fault fault : history.faults()) {
      if (fault.endNanos() >= at.startNanos() - 30_000_000_000L
          && fault.startNanos() <= at.endNanos()) {
        summary.append("  ").append(fault).append('\n');
      }
    }
  }

  private static String abbreviate(Map<String, String> contents) {
    Map<String, String> shortened = new TreeMap<>();
    contents.forEach((name, sha) -> shortened.put(name, sha.substring(0, 8)));
    return shortened.toString();
  }

  private static String abbreviateVersions(Map<String, Version> contents) {
    Map<String, String> shortened = new TreeMap<>();
    contents.forEach(
        (name, v) -> shortened.put(name, v.sha256().substring(0, 8) + "#" + v.putOpId()));
    return shortened.toString();
  }

  private void say(String format, Object... args) {
    String line = "chaos: " + String.format(format, args);
    System.out.println(line);
    summary.append(line).append('\n');
  }

  private static boolean waitFor(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() - deadline < 0) {
      if (condition.getAsBoolean()) {
        return true;
      }
      sleep(500);
    }
    return false;
  }

  private void sleepUntil(long nanos) throws InterruptedException {
    while (history.now() < nanos) {
      Thread.sleep(Math.min(1000, Math.max(1, (nanos - history.now()) / 1_000_000)));
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---------------------------------------------------------------- command line

  /**
   * {@code ChaosRun [--duration 30m] [--seed 42] [--clients 4] [--datanodes 5] [--network] [--dir
   * path]}; exit status 0 when every check passed, 1 otherwise.
   */
  public static void main(String[] args) throws Exception {
    CommonPool.ensureShared();
    Duration duration = Duration.ofMinutes(5);
    long seed = System.currentTimeMillis();
    int clients = 4;
    int dataNodes = 5;
    boolean network = false;
    Path dir = null;
    long quiet = 4000;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--duration" -> duration = parseDuration(args[++i]);
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--clients" -> clients = Integer.parseInt(args[++i]);
        case "--datanodes" -> dataNodes = Integer.parseInt(args[++i]);
        case "--network" -> network = true;
        case "--dir" -> dir = Path.of(args[++i]);
        case "--quiet" -> quiet = parseDuration(args[++i]).toMillis();
        default -> {
          System.err.println(
              "usage: chaos [--duration 30m] [--seed N] [--clients N] "
                  + "[--datanodes N] [--network] [--dir path] [--quiet 4s]");
          System.exit(2);
        }
      }
    }
    if (dir == null) {
      dir = Path.of("target", "chaos", "run-" + seed + "-" + System.currentTimeMillis());
    }
    List<History.Violation> violations =
        new ChaosRun(
                new Options(
                    duration, seed, clients, dataNodes, network, dir.toAbsolutePath(), quiet))
            .run();
    System.exit(violations.isEmpty() ? 0 : 1);
  }

  static Duration parseDuration(String text) {
    Matcher m = Pattern.compile("(\\d+)([smh]?)").matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("duration like 90s, 30m or 2h: " + text);
    }
    long value = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "m" -> Duration.ofMinutes(value);
      case "h" -> Duration.ofHours(value);
      default -> Duration.ofSeconds(value);
    };
  }
}
