package io.raftfs.permissions;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.raftfs.auth.AccessKey;
import io.raftfs.cli.InProcessCli;
import io.raftfs.client.FileSystemClient;
import io.raftfs.client.PutOptions;
import io.raftfs.client.TransferListener;
import io.raftfs.client.meta.PermissionDeniedException;
import io.raftfs.proto.FileStatus;
import io.raftfs.proto.UserInfo;
import io.raftfs.testing.cluster.MasterGroup;
import io.raftfs.testing.cluster.MiniRaftfsCluster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every operation against owner, group and other, each missing each bit it needs, on three real
 * masters: alice owns the entries, bob shares her group staff, carol is in neither. Each case has a
 * directory {@code V} holding a file {@code f} and a non-empty directory {@code s}; the class under
 * test gets exactly the bits the operation needs on {@code V} and {@code f}, or all but one. Every
 * denial is PERMISSION_DENIED, and after all of an operation's denials every master's state digest
 * is what it was: a denied write never entered the log.
 */
class PermissionMatrixTest {
  private static final PutOptions SMALL = new PutOptions(1, 1 << 20, false);
  private static final PutOptions OVERWRITE = new PutOptions(1, 1 << 20, true);
  private static final int R = 4;
  private static final int W = 2;
  private static final int X = 1;

  @TempDir static Path clusterDir;
  @TempDir static Path home;

  private static MiniRaftfsCluster cluster;
  private static FileSystemClient root;
  private static final Map<String, AccessKey> keys = new HashMap<>();
  private static final Map<String, FileSystemClient> clients = new HashMap<>();

  /** Who asks, and where its bits are in a mode. */
  private enum Who {
    OWNER("alice", 6),
    GROUP("bob", 3),
    OTHER("carol", 0);

    final String user;
    final int shift;

    Who(String user, int shift) {
      this.user = user;
      this.shift = shift;
    }
  }

  /** An operation on a case's directory, and the bits it needs on the directory and on f. */
  private record Operation(
      String name, int onDirectory, int onFile, boolean ownerOnly, Action run) {}

  @FunctionalInterface
  private interface Action {
    void run(FileSystemClient client, String dir) throws Exception;
  }

  private static final List<Operation> OPERATIONS =
      List.of(
          new Operation("mkdir", W | X, 0, false, (c, d) -> c.mkdir(d + "/new", false)),
          new Operation("put", W | X, 0, false, (c, d) -> put(c, d + "/new", SMALL)),
          new Operation("overwrite", W | X, W, false, (c, d) -> put(c, d + "/f", OVERWRITE)),
          new Operation("get", X, R, false, (c, d) -> get(c, d + "/f")),
          new Operation("ls", R | X, 0, false, (c, d) -> c.list(d)),
          new Operation("stat", X, 0, false, (c, d) -> c.stat(d + "/f")),
          new Operation("rm", W | X, 0, false, (c, d) -> c.delete(d + "/f", false)),
          new Operation("rm -r", W | X, 0, false, (c, d) -> c.delete(d + "/s", true)),
          new Operation("mv", W | X, 0, false, (c, d) -> c.rename(d + "/f", d + "/g")),
          new Operation("chmod", X, 0, true, (c, d) -> c.setPermission(d + "/f", 0600)),
          new Operation("chown", X, 0, true, (c, d) -> c.setOwner(d + "/f", "", "alice")));

  @BeforeAll
  static void startCluster() {
    cluster = MiniRaftfsCluster.builder().dataNodes(1).build().start(clusterDir);
    root = cluster.newClient();
    addUser("alice", List.of("staff"));
    addUser("bob", List.of("staff"));
    addUser("carol", List.of("others"));
  }

  private static void addUser(String name, List<String> groups) {
    UserInfo user = root.addUser(name, groups);
    AccessKey key = new AccessKey(user.getAccessKeyId(), user.getSecretKey());
    keys.put(name, key);
    clients.put(
        name,
        new FileSystemClient(
            cluster.masterAddresses(),
            cluster.clientConfig().toBuilder().credentials(key).build()));
  }

  @AfterAll
  static void stopCluster() {
    clients.values().forEach(FileSystemClient::close);
    if (root != null) {
      root.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void everyOperationNeedsExactlyItsBitsForOwnerGroupAndOther() {
    for (Operation operation : OPERATIONS) {
      String top = "/" + operation.name().replace(' ', '-');
      root.mkdir(top, false);
      root.setOwner(top, "alice", "staff");
      root.setPermission(top, 0755);
      List<Runnable> denials = new ArrayList<>();
      List<Runnable> grants = new ArrayList<>();
      for (Who who : Who.values()) {
        String granted = top + "/" + who + "-all";
        fixture(granted, operation.onDirectory() << who.shift, operation.onFile() << who.shift);
        FileSystemClient client = clients.get(who.user);
        String label = operation.name() + " by " + who;
        if (operation.ownerOnly() && who != Who.OWNER) {
          denials.add(() -> assertDenied(label + " (not the owner)", client, operation, granted));
        } else {
          grants.add(() -> assertAllowed(label, client, operation, granted));
        }
        for (int bit : new int[] {R, W, X}) {
          for (boolean onFile : new boolean[] {false, true}) {
            int needed = onFile ? operation.onFile() : operation.onDirectory();
            if ((needed & bit) == 0) {
              continue;
            }
            String dir =
                top
                    + "/"
                    + who
                    + "-no-"
                    + "rwx".charAt(2 - Integer.numberOfTrailingZeros(bit))
                    + (onFile ? "-file" : "-dir");
            int dirBits = onFile ? operation.onDirectory() : operation.onDirectory() & ~bit;
            int fileBits = onFile ? operation.onFile() & ~bit : operation.onFile();
            fixture(dir, dirBits << who.shift, fileBits << who.shift);
            denials.add(() -> assertDenied(label + " without " + dir, client, operation, dir));
          }
        }
      }
      List<String> before = digests();
      denials.forEach(Runnable::run);
      assertEquals(before, digests(), operation.name() + ": a denial changed a master's state");
      grants.forEach(Runnable::run);
    }
  }

  @Test
  void aRecursiveDeleteNeedsWriteOnEveryNonEmptyDirectoryBelow() {
    root.mkdir("/open", false);
    root.setPermission("/open", 0777);
    fixture("/open/subtree", 0777, 0);
    root.setPermission("/open/subtree/s", 0755);
    List<String> before = digests();
    assertDeniedCall(() -> clients.get("bob").delete("/open/subtree", true));
    assertEquals(before, digests());
    root.setPermission("/open/subtree/s", 0777);
    assertDoesNotThrow(() -> clients.get("bob").delete("/open/subtree", true));
  }

  @Test
  void theStickyBitKeepsOthersFromRemovingAnEntry() {
    root.mkdir("/tmp", false);
    root.setPermission("/tmp", 01777);
    put(clients.get("alice"), "/tmp/mine", SMALL);
    List<String> before = digests();
    FileSystemClient bob = clients.get("bob");
    assertDeniedCall(() -> bob.delete("/tmp/mine", false));
    assertDeniedCall(() -> bob.rename("/tmp/mine", "/tmp/ours"));
    assertEquals(before, digests());
    FileStatus moved = assertDoesNotThrow(() -> clients.get("alice").stat("/tmp/mine"));
    assertEquals("alice", moved.getOwner());
  }

  @Test
  void onlyASuperuserGivesAnEntryAway() {
    fixture("/giving", 0777, 0666);
    List<String> before = digests();
    assertDeniedCall(() -> clients.get("alice").setOwner("/giving/f", "bob", ""));
    assertDeniedCall(() -> clients.get("alice").setOwner("/giving/f", "", "others"));
    assertEquals(before, digests());
    FileStatus given = root.setOwner("/giving/f", "carol", "others");
    assertEquals(List.of("carol", "others"), List.of(given.getOwner(), given.getGroup()));
  }

  @Test
  void theCommandLineSaysPermissionDeniedAndExits15() {
    fixture("/cli", 0700, 0600);
    Map<String, String> env = new HashMap<>(cluster.cliEnvironment());
    env.put("RAFTFS_ACCESS_KEY", keys.get("carol").id());
    env.put("RAFTFS_SECRET_KEY", keys.get("carol").secret());
    List<String> before = digests();
    for (String[] args :
        List.of(
            new String[] {"ls", "/cli"},
            new String[] {"mkdir", "/cli/x"},
            new String[] {"rm", "-r", "/cli/s"},
            new String[] {"chmod", "777", "/cli/f"},
            new String[] {"chown", ":others", "/cli"})) {
      InProcessCli.Result run = InProcessCli.run(env, home, args);
      assertEquals(15, run.exit(), run::toString);
      String path = args[args.length - 1];
      assertEquals("raftfs: " + path + ": Permission denied\n", run.stderr(), run::toString);
    }
    assertEquals(before, digests());

    Map<String, String> alice = new HashMap<>(env);
    alice.put("RAFTFS_ACCESS_KEY", keys.get("alice").id());
    alice.put("RAFTFS_SECRET_KEY", keys.get("alice").secret());
    assertEquals(0, InProcessCli.run(alice, home, "chmod", "-R", "go+rX", "/cli").exit());
    InProcessCli.Result listed = InProcessCli.run(env, home, "ls", "-l", "/cli");
    assertEquals(0, listed.exit(), listed::toString);
    assertEquals(
        List.of("-rw-r--r--  alice  staff", "drwxrwxrwx  alice  staff"),
        listed.stdout().lines().map(line -> line.substring(0, 24)).toList(),
        listed.stdout());
  }

  /**
   * As root: {@code dir} (alice:staff, mode {@code dirMode}) holding {@code f} (alice:staff, {@code
   * fileMode}) and the non-empty directory {@code s} (0777).
   */
  private static void fixture(String dir, int dirMode, int fileMode) {
    root.mkdir(dir, true);
    put(root, dir + "/f", SMALL);
    root.mkdir(dir + "/s", false);
    put(root, dir + "/s/x", SMALL);
    for (String path : List.of(dir, dir + "/f", dir + "/s", dir + "/s/x")) {
      root.setOwner(path, "alice", "staff");
    }
    root.setPermission(dir + "/s", 0777);
    root.setPermission(dir + "/f", fileMode);
    root.setPermission(dir, dirMode);
  }

  private static void assertDenied(
      String label, FileSystemClient client, Operation operation, String dir) {
    PermissionDeniedException denied =
        assertThrows(
            PermissionDeniedException.class, () -> operation.run().run(client, dir), label);
    assertEquals(true, denied.getMessage().endsWith(": Permission denied"), denied.getMessage());
  }

  private static void assertDeniedCall(Runnable call) {
    assertThrows(PermissionDeniedException.class, call::run);
  }

  private static void assertAllowed(
      String label, FileSystemClient client, Operation operation, String dir) {
    assertDoesNotThrow(() -> operation.run().run(client, dir), label);
  }

  private static void put(FileSystemClient client, String path, PutOptions options) {
    try {
      client.put(new ByteArrayInputStream(path.getBytes()), path, options, TransferListener.NONE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void get(FileSystemClient client, String path) throws IOException {
    client.get(path, new ByteArrayOutputStream(), TransferListener.NONE);
  }

  /** Each master's state digest once all applied the same index. */
  private static List<String> digests() {
    MasterGroup masters = cluster.masters();
    masters.awaitAppliedIndexesEqual();
    List<String> digests = new ArrayList<>();
    for (int i = 0; i < masters.size(); i++) {
      digests.add(masters.master(i).store().digest());
    }
    return digests;
  }
}
