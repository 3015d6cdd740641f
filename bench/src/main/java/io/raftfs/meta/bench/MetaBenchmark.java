package io.raftfs.meta.bench;

import io.raftfs.auth.AccessKey;
import io.raftfs.auth.CredentialsFile;
import io.raftfs.client.meta.MetaClient;
import io.raftfs.client.meta.MetaClientOptions;
import io.raftfs.concurrent.CommonPool;
import io.raftfs.meta.config.MasterConfigKeys;
import io.raftfs.meta.operation.Operations;
import io.raftfs.meta.statemachine.MetaStore;
import io.raftfs.proto.ClusterStatus;
import io.raftfs.proto.CommitFileRequest;
import io.raftfs.proto.MasterStatus;
import io.raftfs.proto.MetaBatch;
import io.raftfs.proto.MkdirRequest;
import io.raftfs.testing.FreePorts;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;

/**
 * Metadata benchmark against three master JVMs started here, with N concurrent clients:
 *
 * <ol>
 *   <li>writes through raftfs (mkdir; create+commit of empty files), batched by the leader;
 *   <li>the plain-Ratis baseline in the same run: the same state machine, one operation per log
 *       entry, each sent with its own {@code RaftClient} call;
 *   <li>linearizable reads (stat, list), alone and while writes run;
 *   <li>heap bytes per file of the namespace after loading many files (in this JVM).
 * </ol>
 *
 * Run: {@code bench/meta [--clients 32] [--seconds 10] [--warmup 90] [--files 1000000]
 * [--client-per-thread] [--insecure] [--set masterKey=value] [--master-jvm-flag F]} ({@code {id}}
 * in a flag becomes the master's id, e.g. for a flight recording per master). Prints one line per
 * phase and checks at the end that every master applied the same index. {@code --heap-only} runs
 * only the heap measurement, with a larger heap ({@code bench/meta --heap-only --files 10000000});
 * {@code --histogram} adds the classes that hold it.
 */
public final class MetaBenchmark {
  /** Extra JVM flags for the masters, e.g. a flight recording to profile them. */
  private static final List<String> MASTER_JVM_FLAGS = new ArrayList<>();

  /** Extra master settings ({@code --set key=value}), e.g. Ratis keys passed through. */
  private static final Properties MASTER_SETTINGS = new Properties();

  /**
   * True: the N threads share one MetaClient, as the threads of one application do, and their
   * concurrent calls travel together. False: one MetaClient per thread, as N separate processes.
   */
  private static boolean sharedClient = true;

  /** The header and the top classes of {@code --histogram}. */
  private static final int HISTOGRAM_LINES = 25;

  private final int clients;
  private final int seconds;
  private final int warmupSeconds;
  private final Path workDir;
  private final List<Process> masters = new ArrayList<>();
  private final List<String> httpAddresses = new ArrayList<>();
  private final List<RaftPeer> raftPeers = new ArrayList<>();
  private final String clusterId = "bench-" + UUID.randomUUID();
  // The superuser's key the masters check signatures with; null with --insecure.
  private AccessKey rootKey;

  private MetaBenchmark(int clients, int seconds, int warmupSeconds, Path workDir) {
    this.warmupSeconds = warmupSeconds;
    this.clients = clients;
    this.seconds = seconds;
    this.workDir = workDir;
  }

  public static void main(String[] args) throws Exception {
    CommonPool.ensureShared();
    int clients = 32;
    int seconds = 10;
    int warmup = 90;
    int files = 1_000_000;
    boolean heapOnly = false;
    boolean histogram = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--clients" -> clients = Integer.parseInt(args[++i]);
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--files" -> files = Integer.parseInt(args[++i]);
        case "--heap-only" -> heapOnly = true;
        case "--histogram" -> histogram = true;
        case "--master-jvm-flag" -> MASTER_JVM_FLAGS.add(args[++i]);
        case "--client-per-thread" -> sharedClient = false;
        case "--insecure" ->
            MASTER_SETTINGS.setProperty(MasterConfigKeys.AUTH_ENABLED_KEY, "false");
        case "--set" -> {
          String[] keyValue = args[++i].split("=", 2);
          MASTER_SETTINGS.setProperty(keyValue[0], keyValue[1]);
        }
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (heapOnly) {
      // No masters and no clients: at 10 M files the namespace alone needs the whole heap.
      System.out.printf(
          "namespace heap per file (%d files): %s%n", files, heapPerFile(files, histogram));
      return;
    }
    System.out.printf(
        "raftfs metadata benchmark: %d client threads (%s), %d s per phase, %d cores%n",
        clients,
        sharedClient ? "sharing one MetaClient" : "one MetaClient each",
        seconds,
        Runtime.getRuntime().availableProcessors());
    System.out.printf(
        "namespace heap per file (%d files): %s%n", files, heapPerFile(files, histogram));
    Path dir = Files.createTempDirectory("raftfs-meta-bench");
    MetaBenchmark bench = new MetaBenchmark(clients, seconds, warmup, dir);
    // Interrupted runs (Ctrl-C) must not leave master JVMs behind.
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> bench.masters.forEach(Process::destroyForcibly)));
    try {
      bench.startMasters();
      bench.run();
    } finally {
      bench.stopMasters();
    }
  }

  private void run() throws Exception {
    try (MetaClient setup = newClient()) {
      waitForLeader(setup);
      for (int c = 0; c < clients; c++) {
        setup.mkdir("/bench/c" + c, true);
      }
      setup.mkdir("/read", true);
      for (int i = 0; i < 100; i++) {
        setup.mkdir("/read/d" + i, false);
      }
    }
    AtomicLong sequence = new AtomicLong();
    Operation mkdir =
        (client, c) -> client.mkdir("/bench/c" + c + "/m" + sequence.incrementAndGet(), false);
    Operation create =
        (client, c) ->
            client.commitFile(
                "/bench/c" + c + "/f" + sequence.incrementAndGet(), List.of(), 3, 1 << 20, false);
    Operation stat = (client, c) -> client.stat("/read/d" + (c % 100));
    Operation list = (client, c) -> client.list("/read");
    warmUp(List.of(mkdir, create, stat, list));
    report("write: mkdir (raftfs, batched)", clients, mkdir);
    report("write: create+commit empty file (batched)", clients, create);
    plainRatisBaseline(sequence);
    report("read: stat (linearizable)", clients, stat);
    report("read: list 100 entries (linearizable)", clients, list);
    readsWhileWriting(mkdir, stat);
    try (MetaClient client = newClient()) {
      ClusterStatus status = waitForEqualAppliedIndex(client);
      StringBuilder line = new StringBuilder("applied index per master after the run:");
      for (MasterStatus master : status.getMastersList()) {
        line.append(' ').append(master.getId()).append('=').append(master.getAppliedIndex());
      }
      System.out.println(line);
    }
  }

  /**
   * Every operation of the run, unmeasured, for {@code --warmup} seconds: the masters' JIT compiles
   * the hot paths first, or the first phase measures the compiler instead of the code.
   */
  private void warmUp(List<Operation> operations) throws Exception {
    if (warmupSeconds == 0) {
      return;
    }
    AtomicLong turn = new AtomicLong();
    runPhase(
        clients,
        warmupSeconds,
        (client, c) ->
            operations.get((int) (turn.getAndIncrement() % operations.size())).run(client, c),
        null);
    System.out.printf("(warmed up for %d s, not measured)%n", warmupSeconds);
  }

  private interface Operation {
    void run(MetaClient client, int clientIndex) throws Exception;
  }

  private void report(String name, int threads, Operation operation) throws Exception {
    long cpuBefore = cpuNanos();
    LatencyRecorder[] recorders = runPhase(threads, operation, null);
    long cpu = cpuNanos() - cpuBefore;
    System.out.println(
        LatencyRecorder.summary(name + " x" + threads, recorders, seconds)
            + cpuPerOp(cpu, recorders));
  }

  /**
   * CPU time of the masters and this client JVM together: on a shared or loaded machine, CPU per
   * operation says more about the code than wall-clock throughput does.
   */
  private long cpuNanos() {
    long total =
        ((com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    for (Process master : masters) {
      total += master.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }
    return total;
  }

  private static String cpuPerOp(long cpuNanos, LatencyRecorder[] recorders) {
    long ops = LatencyRecorder.count(recorders);
    return ops == 0 ? "" : String.format("   cpu %.0f us/op", cpuNanos / 1e3 / ops);
  }

  /** Runs {@code operation} on {@code threads} clients for the phase's duration. */
  private LatencyRecorder[] runPhase(int threads, Operation operation, CountDownLatch started)
      throws Exception {
    return runPhase(threads, seconds, operation, started);
  }

  private LatencyRecorder[] runPhase(
      int threads, int phaseSeconds, Operation operation, CountDownLatch started) throws Exception {
    LatencyRecorder[] recorders = new LatencyRecorder[threads];
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> workers = new ArrayList<>();
    List<MetaClient> metaClients = new ArrayList<>();
    MetaClient shared = sharedClient ? newClient() : null;
    if (shared != null) {
      metaClients.add(shared);
    }
    for (int t = 0; t < threads; t++) {
      LatencyRecorder recorder = recorders[t] = new LatencyRecorder();
      MetaClient client = shared != null ? shared : newClient();
      if (shared == null) {
        metaClients.add(client);
      }
      int index = t;
      Thread worker =
          new Thread(
              () -> {
                while (!stop.get()) {
                  long start = System.nanoTime();
                  try {
                    operation.run(client, index);
                    recorder.record(System.nanoTime() - start);
                  } catch (Exception e) {
                    recorder.errors++;
                  }
                }
              });
      workers.add(worker);
    }
    workers.forEach(Thread::start);
    if (started != null) {
      started.countDown();
    }
    Thread.sleep(Duration.ofSeconds(phaseSeconds).toMillis());
    stop.set(true);
    for (Thread worker : workers) {
      worker.join();
    }
    metaClients.forEach(MetaClient::close);
    return recorders;
  }

  private void readsWhileWriting(Operation write, Operation read) throws Exception {
    int writers = Math.max(1, clients / 2);
    CountDownLatch readersStarted = new CountDownLatch(1);
    LatencyRecorder[][] writeResult = new LatencyRecorder[1][];
    Thread writerPhase =
        new Thread(
            () -> {
              try {
                readersStarted.await();
                writeResult[0] = runPhase(writers, write, null);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    writerPhase.start();
    LatencyRecorder[] reads = runPhase(clients, read, readersStarted);
    writerPhase.join();
    System.out.println(
        LatencyRecorder.summary("read: stat while writing x" + clients, reads, seconds));
    System.out.println(
        LatencyRecorder.summary(
            "  (the writes beside them) mkdir x" + writers, writeResult[0], seconds));
  }

  /** The same state machine, one operation per Raft log entry, one RaftClient call each. */
  private void plainRatisBaseline(AtomicLong sequence) throws Exception {
    RaftGroup group =
        RaftGroup.valueOf(
            RaftGroupId.valueOf(UUID.nameUUIDFromBytes(clusterId.getBytes(StandardCharsets.UTF_8))),
            raftPeers);
    RaftProperties props = new RaftProperties();
    long cpuBefore = cpuNanos();
    LatencyRecorder[] recorders = new LatencyRecorder[clients];
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> workers = new ArrayList<>();
    List<RaftClient> raftClients = new ArrayList<>();
    for (int t = 0; t < clients; t++) {
      LatencyRecorder recorder = recorders[t] = new LatencyRecorder();
      RaftClient client =
          RaftClient.newBuilder()
              .setProperties(props)
              .setRaftGroup(group)
              .setRetryPolicy(
                  RetryPolicies.retryUpToMaximumCountWithFixedSleep(
                      100, TimeDuration.valueOf(50, java.util.concurrent.TimeUnit.MILLISECONDS)))
              .build();
      raftClients.add(client);
      int index = t;
      workers.add(
          new Thread(
              () -> {
                while (!stop.get()) {
                  MetaBatch one =
                      MetaBatch.newBuilder()
                          .setTimestampMillis(System.currentTimeMillis())
                          .addRequests(
                              io.raftfs.proto.LoggedWrite.newBuilder()
                                  .setMkdir(
                                      MkdirRequest.newBuilder()
                                          .setPath(
                                              "/bench/c"
                                                  + index
                                                  + "/r"
                                                  + sequence.incrementAndGet())))
                          .build();
                  long start = System.nanoTime();
                  try {
                    client.io().send(Message.valueOf(ByteString.copyFrom(one.toByteArray())));
                    recorder.record(System.nanoTime() - start);
                  } catch (IOException e) {
                    recorder.errors++;
                  }
                }
              }));
    }
    workers.forEach(Thread::start);
    Thread.sleep(Duration.ofSeconds(seconds).toMillis());
    stop.set(true);
    for (Thread worker : workers) {
      worker.join();
    }
    for (RaftClient client : raftClients) {
      client.close();
    }
    System.out.println(
        LatencyRecorder.summary(
            "write: mkdir, plain Ratis, 1 op/entry x" + clients, recorders, seconds));
  }

  private static String heapPerFile(int files, boolean histogram) throws Exception {
    Runtime runtime = Runtime.getRuntime();
    long before = usedHeapAfterGc(runtime);
    MetaStore store = new MetaStore(Operations.ALL);
    MetaBatch.Builder batch = MetaBatch.newBuilder().setTimestampMillis(1);
    batch.addRequests(
        io.raftfs.proto.LoggedWrite.newBuilder()
            .setReserveBlockIds(
                io.raftfs.proto.ReserveBlockIdsRequest.newBuilder().setCount(files)));
    for (int d = 0; d < files / 1000 + 1; d++) {
      batch.addRequests(
          io.raftfs.proto.LoggedWrite.newBuilder()
              .setMkdir(MkdirRequest.newBuilder().setPath("/d" + d)));
    }
    store.apply(batch.build());
    for (int start = 0; start < files; start += 1000) {
      MetaBatch.Builder commits = MetaBatch.newBuilder().setTimestampMillis(2);
      for (int i = start; i < Math.min(files, start + 1000); i++) {
        commits.addRequests(
            io.raftfs.proto.LoggedWrite.newBuilder()
                .setCommitFile(
                    CommitFileRequest.newBuilder()
                        .setPath("/d" + (i / 1000) + "/file-" + i)
                        .setReplication(3)
                        .setBlockSize(64 << 20)
                        .addBlocks(
                            io.raftfs.proto.BlockInfo.newBuilder()
                                .setBlockId(i + 1)
                                .setLength(4096)
                                .setCrc32C(i))));
      }
      store.apply(commits.build());
    }
    long after = usedHeapAfterGc(runtime);
    if (histogram) {
      printHistogram();
    }
    String result =
        String.format(
            "%.0f bytes/file (%d files of one block each, names like file-123456)",
            (double) (after - before) / store.files(), store.files());
    if (store.files() < 0) {
      throw new AssertionError(); // keeps the store reachable until measured
    }
    return result;
  }

  /**
   * The classes taking the most heap, as {@code jcmd PID GC.class_histogram} prints them: where a
   * file's bytes go.
   */
  private static void printHistogram() throws Exception {
    Object text =
        java.lang.management.ManagementFactory.getPlatformMBeanServer()
            .invoke(
                new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
                "gcClassHistogram",
                new Object[] {new String[0]},
                new String[] {String[].class.getName()});
    text.toString().lines().limit(HISTOGRAM_LINES).forEach(System.out::println);
  }

  private static long usedHeapAfterGc(Runtime runtime) {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }

  private MetaClient newClient() {
    return new MetaClient(httpAddresses, MetaClientOptions.DEFAULTS, rootKey);
  }

  private void startMasters() throws IOException {
    List<String> peers = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      int raftPort = FreePorts.next();
      int httpPort = FreePorts.next();
      peers.add("m" + i + "=127.0.0.1:" + raftPort + ":" + httpPort);
      httpAddresses.add("127.0.0.1:" + httpPort);
      raftPeers.add(
          RaftPeer.newBuilder().setId("m" + i).setAddress("127.0.0.1:" + raftPort).build());
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path keyFile = workDir.resolve("root.credentials");
    if (!"false".equals(MASTER_SETTINGS.getProperty(MasterConfigKeys.AUTH_ENABLED_KEY))) {
      rootKey = AccessKey.generate();
      CredentialsFile.create(keyFile, rootKey);
    }
    for (int i = 1; i <= 3; i++) {
      Properties props = new Properties();
      if (rootKey != null) {
        props.setProperty(MasterConfigKeys.AUTH_ROOT_CREDENTIALS_FILE_KEY, keyFile.toString());
      }
      props.setProperty(MasterConfigKeys.ID_KEY, "m" + i);
      // In-process masters measure the metadata path; TLS would add only the client's handshake.
      props.setProperty(MasterConfigKeys.TLS_ENABLED_KEY, "false");
      props.setProperty(MasterConfigKeys.PEERS_KEY, String.join(",", peers));
      props.setProperty(MasterConfigKeys.STORAGE_DIR_KEY, workDir.resolve("m" + i).toString());
      props.setProperty(MasterConfigKeys.CLUSTER_ID_KEY, clusterId);
      props.putAll(MASTER_SETTINGS);
      Path conf = workDir.resolve("m" + i + ".conf");
      try (OutputStream out = Files.newOutputStream(conf)) {
        props.store(out, "benchmark master");
      }
      List<String> command = new ArrayList<>(List.of(java, "-Xms1g", "-Xmx1g", "-XX:+UseG1GC"));
      for (String flag : MASTER_JVM_FLAGS) {
        command.add(flag.replace("{id}", "m" + i));
      }
      command.addAll(
          List.of(
              "-cp",
              System.getProperty("java.class.path"),
              "io.raftfs.meta.server.MasterMain",
              "--config",
              conf.toString()));
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(workDir.resolve("m" + i + ".log").toFile())
              .start();
      masters.add(process);
    }
    System.out.println("masters: " + httpAddresses + " (logs in " + workDir + File.separator + ")");
  }

  /** mkdir -p of the root changes nothing but needs a ready leader: the client waits for one. */
  private static void waitForLeader(MetaClient client) {
    client.mkdir("/", true);
  }

  private static ClusterStatus waitForEqualAppliedIndex(MetaClient client)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      ClusterStatus status = client.clusterStatus();
      long distinct =
          status.getMastersList().stream()
              .mapToLong(MasterStatus::getAppliedIndex)
              .distinct()
              .count();
      if (distinct == 1 || System.nanoTime() > deadline) {
        return status;
      }
      Thread.sleep(100);
    }
  }

  private void stopMasters() throws InterruptedException {
    for (Process master : masters) {
      master.destroy();
    }
    for (Process master : masters) {
      if (!master.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        master.destroyForcibly().waitFor();
      }
    }
  }
}
