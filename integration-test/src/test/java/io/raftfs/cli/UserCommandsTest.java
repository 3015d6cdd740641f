package io.raftfs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftfs.testing.cluster.MiniRaftfsCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code raftfs admin user add|list|remove|rotate-key} against three real masters: the key printed
 * once works for the user's own {@code raftfs} commands, a user outside the superuser group gets
 * exit 15, and a removed key exit 13.
 */
class UserCommandsTest {
  @TempDir static Path clusterDir;
  @TempDir Path local;

  private static MiniRaftfsCluster cluster;

  @BeforeAll
  static void startCluster() {
    cluster = MiniRaftfsCluster.builder().build().start(clusterDir);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private CliRun raftfs(Map<String, String> env, String... args) {
    return CliRun.run(env, local, new byte[0], args);
  }

  private CliRun asRoot(String... args) {
    return raftfs(cluster.cliEnvironment(), args);
  }

  /** The environment of a user whose key {@code --json} printed. */
  private static Map<String, String> envOf(JsonObject user) {
    Map<String, String> env = new HashMap<>(cluster.cliEnvironment());
    env.put("RAFTFS_ACCESS_KEY", user.getString("accessKeyId"));
    env.put("RAFTFS_SECRET_KEY", user.getString("secretKey"));
    return env;
  }

  @Test
  void anAddedUsersKeyWorksUntilRemovedAndAdminCommandsAreRefusedWithExit15() {
    CliRun added = asRoot("admin", "user", "add", "--groups", "dev,ops", "--json", "frank");
    assertEquals(0, added.exit(), added::toString);
    JsonObject frank = new JsonObject(added.out());
    assertEquals(new JsonArray().add("frank").add("dev").add("ops"), frank.getJsonArray("groups"));
    Map<String, String> env = envOf(frank);

    CliRun home = asRoot("mkdir", "/frank");
    assertEquals(0, home.exit(), home::toString);
    CliRun given = asRoot("chown", "frank", "/frank");
    assertEquals(0, given.exit(), given::toString);
    CliRun mkdir = raftfs(env, "mkdir", "/frank/work");
    assertEquals(0, mkdir.exit(), mkdir::toString);
    CliRun denied = raftfs(env, "mkdir", "/frank2");
    assertEquals(15, denied.exit(), denied::toString);
    assertEquals("raftfs: /frank2: Permission denied\n", denied.stderr());
    CliRun escalate = raftfs(env, "admin", "user", "add", "--groups", "supergroup", "frank2");
    assertEquals(15, escalate.exit(), escalate::toString);
    assertEquals("raftfs: add_user: Permission denied\n", escalate.stderr());
    CliRun drain = raftfs(env, "admin", "decommission", "dn-any");
    assertEquals(15, drain.exit(), drain::toString);

    CliRun list = asRoot("admin", "user", "list");
    assertEquals(0, list.exit(), list::toString);
    assertTrue(
        list.out()
            .lines()
            .anyMatch(
                l -> l.matches("frank +" + frank.getString("accessKeyId") + " +frank,dev,ops")),
        list::toString);
    assertFalse(list.out().contains(frank.getString("secretKey")), "a listing shows no secret");

    assertEquals(0, asRoot("admin", "user", "remove", "frank").exit());
    CliRun refused = raftfs(env, "ls", "/");
    assertEquals(13, refused.exit(), refused::toString);
  }

  @Test
  void aRotatedKeyPrintsANewSecretOnceAndTheOldOneExits13() {
    CliRun added = asRoot("admin", "user", "add", "--json", "gina");
    assertEquals(0, added.exit(), added::toString);
    JsonObject gina = new JsonObject(added.out());

    CliRun rotated = asRoot("admin", "user", "rotate-key", "gina");

    assertEquals(0, rotated.exit(), rotated::toString);
    assertTrue(rotated.out().contains(gina.getString("accessKeyId")), rotated::toString);
    assertFalse(rotated.out().contains(gina.getString("secretKey")), rotated::toString);
    CliRun old = raftfs(envOf(gina), "ls", "/");
    assertEquals(13, old.exit(), old::toString);
  }
}
