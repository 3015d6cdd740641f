package io.raftfs.chaos;

import io.raftfs.auth.AccessKey;
import io.raftfs.chaos.Op.Result;
import io.raftfs.chaos.Op.Type;
import io.raftfs.client.FileSystemClient;
import io.raftfs.client.PutOptions;
import io.raftfs.client.TransferListener;
import io.raftfs.client.meta.DirectoryNotEmptyException;
import io.raftfs.client.meta.InvalidArgumentException;
import io.raftfs.client.meta.InvalidMoveException;
import io.raftfs.client.meta.InvalidPathException;
import io.raftfs.client.meta.IsADirectoryException;
import io.raftfs.client.meta.MetaClient;
import io.raftfs.client.meta.MetaClientOptions;
import io.raftfs.client.meta.NotADirectoryException;
import io.raftfs.client.meta.NotEnoughDataNodesException;
import io.raftfs.client.meta.PathExistsException;
import io.raftfs.client.meta.PathNotFoundException;
import io.raftfs.proto.FileStatus;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * One client of the workload: put, get, rename, delete and ls on a few files in its own directory
 * {@code /chaos/c<i>/g<generation>}, one operation at a time, every one recorded in the {@link
 * History}.
 *
 * <p>Because no one else touches its directory, the worker knows exactly what the directory must
 * hold after every acknowledged operation, and checks every read against that on the spot. When a
 * write ends without a definite answer (a timeout, no leader), it may still take effect later, so
 * the worker freezes that generation (its expected state is "before or after that one write") and
 * carries on in a fresh directory: the model stays exact, and the frozen generations are checked
 * after healing.
 */
final class Worker implements Runnable {
  static final long BLOCK_SIZE = 256 * 1024;
  private static final int FILES = 6;

  /** What a file holds: the SHA-256 of its bytes, and the put that wrote them. */
  record Version(String sha256, long size, long putOpId) {}

  /** One directory of this worker and what it must hold. */
  static final class Generation {
    final int index;
    final String dir;
    final Map<String, Version> files = new TreeMap<>();

    /** The write with no definite answer that froze this generation, or null. */
    Op pending;

    Version pendingVersion;
    boolean pendingOverwrite;

    Generation(int index, String dir) {
      this.index = index;
      this.dir = dir;
    }

    /** The states this directory may be in: without, and with the pending write. */
    List<Map<String, Version>> candidates() {
      List<Map<String, Version>> states = new ArrayList<>();
      states.add(files);
      if (pending != null) {
        Map<String, Version> after = new TreeMap<>(files);
        String name = nameOf(pending.path());
        switch (pending.type()) {
          case PUT -> {
            if (pendingOverwrite || !after.containsKey(name)) {
              after.put(name, pendingVersion);
            }
          }
          case DELETE -> after.remove(name);
          case RENAME -> {
            String to = nameOf(pending.path2());
            if (after.containsKey(name) && !after.containsKey(to)) {
              after.put(to, after.remove(name));
            }
          }
          default -> {}
        }
        states.add(after);
      }
      return states;
    }
  }

  private final int client;
  private final long seed;
  private final History history;
  private final List<String> masters;
  private final AccessKey key;
  private final Random random;
  private final List<Generation> generations = new ArrayList<>();

  /** Every version this worker ever put, by SHA-256: tells a stale read from garbage. */
  private final Map<String, Op> everPut = new HashMap<>();

  private volatile boolean stopping;
  private FileSystemClient fs;
  private Generation current;

  Worker(int client, long seed, History history, List<String> masters, AccessKey key) {
    this.client = client;
    this.seed = seed;
    this.history = history;
    this.masters = masters;
    this.key = key;
    this.random = new Random(seed * 1_000_003L + client);
  }

  static FileSystemClient newClient(List<String> masters, AccessKey key) {
    return new FileSystemClient(
        new MetaClient(
            masters,
            // The CLI's pause between rounds of attempts (raftfs.client.meta.retry.pause.max.ms):
            // stretches without a completed operation are then what a raftfs user waits.
            new MetaClientOptions(
                Duration.ofSeconds(15), Duration.ofSeconds(2), Duration.ofMillis(100)),
            key));
  }

  String root() {
    return "/chaos/c" + client;
  }

  List<Generation> generations() {
    return generations;
  }

  void stop() {
    stopping = true;
  }

  @Override
  public void run() {
    fs = newClient(masters, key);
    try {
      newGeneration();
      while (!stopping) {
        int dice = random.nextInt(100);
        if (dice < 35) {
          put();
        } else if (dice < 65) {
          get();
        } else if (dice < 75) {
          rename();
        } else if (dice < 85) {
          delete();
        } else {
          ls();
        }
      }
    } catch (RuntimeException e) {
      history.violation("worker-crash", null, "c" + client + ": " + e);
    } finally {
      fs.close();
    }
  }

  private void newGeneration() {
    Generation next = new Generation(generations.size(), root() + "/g" + generations.size());
    while (true) {
      long start = history.now();
      Result result;
      String detail = "";
      try {
        fs.mkdir(next.dir, true);
        result = Result.OK;
      } catch (RuntimeException e) {
        result = Result.UNKNOWN;
        detail = describe(e);
      }
      history.add(
          new Op(
              history.nextId(),
              client,
              next.index,
              Type.MKDIR,
              next.dir,
              null,
              null,
              0,
              result,
              detail,
              start,
              history.now()));
      if (result == Result.OK) {
        break;
      }
      if (stopping) {
        // Never made: nothing to check in it. Keep the worker's model where it was.
        return;
      }
      sleep(200);
    }
    generations.add(next);
    current = next;
  }

  private String pathOf(String name) {
    return current.dir + "/" + name;
  }

  static String nameOf(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private String randomName() {
    return "f" + random.nextInt(FILES);
  }

  /** Mostly a file the model says exists (when there is one), so reads and moves hit data. */
  private String existingName() {
    if (current.files.isEmpty() || random.nextInt(100) < 20) {
      return randomName();
    }
    List<String> names = new ArrayList<>(current.files.keySet());
    return names.get(random.nextInt(names.size()));
  }

  /** Mostly a name the model says is free. */
  private String freeName() {
    for (int i = 0; i < 3; i++) {
      String name = randomName();
      if (!current.files.containsKey(name) || random.nextInt(100) < 20) {
        return name;
      }
    }
    return randomName();
  }

  private void put() {
    String name = randomName();
    String path = pathOf(name);
    boolean overwrite = random.nextInt(100) < 85;
    int size = randomSize();
    long id = history.nextId();
    byte[] bytes = new byte[size];
    new Random(seed ^ (id * 0x9E3779B97F4A7C15L)).nextBytes(bytes);
    String sha = sha256(bytes);
    long start = history.now();
    Outcome outcome =
        attempt(
            () ->
                fs.put(
                    new ByteArrayInputStream(bytes),
                    path,
                    new PutOptions(3, BLOCK_SIZE, overwrite),
                    TransferListener.NONE),
            true);
    Result result = outcome.result();
    Exception failure = outcome.failure();
    String mode = overwrite ? "overwrite" : "no-overwrite";
    Op op =
        record(
            id,
            start,
            Type.PUT,
            path,
            null,
            sha,
            size,
            result,
            failure == null ? mode : mode + ": " + outcome.describe());
    Version version = new Version(sha, size, id);
    everPut.put(sha, op);
    boolean exists = current.files.containsKey(name);
    switch (result) {
      case OK -> {
        if (!overwrite && exists) {
          history.violation(
              "lost-file",
              op,
              "put without overwrite succeeded over a file the history says exists");
        }
        current.files.put(name, version);
      }
      case FAIL -> {
        if (failure instanceof PathExistsException && !exists) {
          history.violation(
              "resurrected", op, "put says the file exists; the history says it was removed");
        }
      }
      case UNKNOWN -> {
        current.pendingOverwrite = overwrite;
        freeze(op, version);
      }
    }
  }

  private int randomSize() {
    int kind = random.nextInt(10);
    if (kind < 1) {
      return 0;
    } else if (kind < 4) {
      return 1 + random.nextInt(4096);
    } else if (kind < 7) {
      return 4096 + random.nextInt((int) BLOCK_SIZE);
    } else {
      return (int) BLOCK_SIZE + random.nextInt((int) (4 * BLOCK_SIZE));
    }
  }

  private void get() {
    String name = existingName();
    String path = pathOf(name);
    long id = history.nextId();
    long start = history.now();
    MessageDigest digest = newDigest();
    long[] count = new long[1];
    OutputStream sink =
        new OutputStream() {
          @Override
          public void write(int b) {
            digest.update((byte) b);
            count[0]++;
          }

          @Override
          public void write(byte[] b, int off, int len) {
            digest.update(b, off, len);
            count[0] += len;
          }
        };
    Outcome outcome = attempt(() -> fs.get(path, sink, TransferListener.NONE), false);
    Result result = outcome.result();
    Exception failure = outcome.failure();
    String sha = result == Result.OK ? HexFormat.of().formatHex(digest.digest()) : null;
    Op op = record(id, start, Type.GET, path, null, sha, count[0], result, outcome.describe());
    Version expected = current.files.get(name);
    if (result == Result.OK) {
      checkRead(op, expected, sha);
    } else if (result == Result.FAIL) {
      if (failure instanceof PathNotFoundException && expected != null) {
        history.violation(
            "lost-file",
            op,
            "get found no file; the history says it holds the put of #" + expected.putOpId());
      }
    }
  }

  private void checkRead(Op op, Version expected, String sha) {
    if (expected == null) {
      history.violation(
          "resurrected", op, "get returned bytes for a file the history says is absent");
    } else if (!expected.sha256().equals(sha)) {
      Op other = everPut.get(sha);
      if (other == null) {
        history.violation(
            "corrupt-read",
            op,
            "get returned bytes no put ever wrote (expected the put of #"
                + expected.putOpId()
                + ")");
      } else {
        history.violation(
            "stale-read",
            op,
            "get returned the put of #"
                + other.id()
                + ", expected the put of #"
                + expected.putOpId());
      }
    }
  }

  private void rename() {
    String from = existingName();
    String to = freeName();
    if (from.equals(to)) {
      to = "r" + from.substring(1);
    }
    long id = history.nextId();
    long start = history.now();
    String source = pathOf(from);
    String destination = pathOf(to);
    Outcome outcome = attempt(() -> fs.rename(source, destination), false);
    Result result = outcome.result();
    Exception failure = outcome.failure();
    Op op =
        record(id, start, Type.RENAME, source, destination, null, 0, result, outcome.describe());
    boolean hasFrom = current.files.containsKey(from);
    boolean hasTo = current.files.containsKey(to);
    switch (result) {
      case OK -> {
        if (!hasFrom || hasTo) {
          history.violation(
              "namespace",
              op,
              "rename succeeded but the history says source "
                  + (hasFrom ? "exists" : "is absent")
                  + " and destination "
                  + (hasTo ? "exists" : "is absent"));
        }
        current.files.put(to, current.files.remove(from));
      }
      case FAIL -> {
        if (failure instanceof PathNotFoundException && hasFrom) {
          history.violation("lost-file", op, "rename found no source; the history says it exists");
        } else if (failure instanceof PathExistsException && !hasTo) {
          history.violation(
              "resurrected", op, "rename found the destination; the history says it is absent");
        }
      }
      case UNKNOWN -> freeze(op, null);
    }
  }

  private void delete() {
    String name = existingName();
    long id = history.nextId();
    long start = history.now();
    String path = pathOf(name);
    Outcome outcome = attempt(() -> fs.delete(path, false), false);
    Result result = outcome.result();
    Exception failure = outcome.failure();
    Op op = record(id, start, Type.DELETE, path, null, null, 0, result, outcome.describe());
    boolean exists = current.files.containsKey(name);
    switch (result) {
      case OK -> {
        if (!exists) {
          history.violation(
              "resurrected", op, "delete succeeded on a file the history says is absent");
        }
        current.files.remove(name);
      }
      case FAIL -> {
        if (failure instanceof PathNotFoundException && exists) {
          history.violation("lost-file", op, "delete found no file; the history says it exists");
        }
      }
      case UNKNOWN -> freeze(op, null);
    }
  }

  private void ls() {
    long id = history.nextId();
    long start = history.now();
    Map<String, Long> listing = new TreeMap<>();
    Outcome outcome =
        attempt(
            () -> {
              for (FileStatus status : fs.list(current.dir)) {
                listing.put(nameOf(status.getPath()), status.getLength());
              }
            },
            false);
    Result result = outcome.result();
    String detail = result == Result.OK ? listing.toString() : outcome.describe();
    Op op = record(id, start, Type.LS, current.dir, null, null, 0, result, detail);
    if (result == Result.OK) {
      Map<String, Long> expected = new TreeMap<>();
      current.files.forEach((name, version) -> expected.put(name, version.size()));
      if (!expected.equals(listing)) {
        history.violation(
            "namespace", op, "ls shows " + listing + ", the history says " + expected);
      }
    } else if (result == Result.FAIL) {
      history.violation("lost-file", op, "ls of the worker's directory failed: " + detail);
    }
  }

  /** One client call. */
  private interface Call {
    void run() throws Exception;
  }

  /** How a call ended: its result and, unless OK, the exception. */
  private record Outcome(Result result, Exception failure) {
    String describe() {
      return failure == null ? "" : Worker.describe(failure);
    }
  }

  private static Outcome attempt(Call call, boolean put) {
    try {
      call.run();
      return new Outcome(Result.OK, null);
    } catch (Exception e) {
      return new Outcome(classify(e, put), e);
    }
  }

  /** Adds the finished operation to the history and returns it. */
  private Op record(
      long id,
      long start,
      Type type,
      String path,
      String path2,
      String sha,
      long size,
      Result result,
      String detail) {
    Op op =
        new Op(
            id,
            client,
            current.index,
            type,
            path,
            path2,
            sha,
            size,
            result,
            detail,
            start,
            history.now());
    history.add(op);
    return op;
  }

  /** An unknown write: this generation's state is now "before or after it"; go on elsewhere. */
  private void freeze(Op op, Version version) {
    current.pending = op;
    current.pendingVersion = version;
    // A new client too: the old one's retries of that call are over, nothing else is in flight.
    fs.close();
    fs = newClient(masters, key);
    newGeneration();
  }

  /** OK is not a failure; definite rejections are FAIL; anything else may have happened. */
  static Result classify(Exception e, boolean put) {
    if (e instanceof PathNotFoundException
        || e instanceof PathExistsException
        || e instanceof NotADirectoryException
        || e instanceof IsADirectoryException
        || e instanceof DirectoryNotEmptyException
        || e instanceof InvalidMoveException
        || e instanceof InvalidPathException
        || e instanceof InvalidArgumentException) {
      return Result.FAIL;
    }
    if (put && (e instanceof NotEnoughDataNodesException || e instanceof java.io.IOException)) {
      // Both come before the commit: nothing was made visible.
      return Result.FAIL;
    }
    return Result.UNKNOWN;
  }

  static String describe(Exception e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(newDigest().digest(bytes));
  }

  static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  Map<String, Op> everPut() {
    return everPut;
  }
}
