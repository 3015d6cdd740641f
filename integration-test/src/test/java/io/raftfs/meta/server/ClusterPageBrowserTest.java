package io.raftfs.meta.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.raftfs.client.meta.MetaClient;
import io.raftfs.meta.config.MasterConfigKeys;
import io.raftfs.proto.Heartbeat;
import io.raftfs.proto.HeartbeatResponse;
import io.raftfs.testing.Await;
import io.raftfs.testing.cluster.MasterGroup;
import io.raftfs.testing.cluster.MiniRaftfsCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The cluster page in a real headless Chromium (Debian's chromium + chromium-driver), against three
 * real masters: it loads without script errors, lists the masters and data nodes, and shows the new
 * leader after the leader is stopped, while the master that served it may be the one that died.
 * Skipped where no Chromium is installed.
 */
class ClusterPageBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void pageShowsMastersDataNodesAndTheNewLeaderAfterTheServingLeaderIsStopped() throws Exception {
    assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "no Chromium here: apt-get install -y chromium chromium-driver");
    Properties settings = new Properties();
    // Nodes stay alive for the whole test on one round of heartbeats.
    settings.setProperty(MasterConfigKeys.DATANODE_DEAD_TIMEOUT_MS_KEY, "600000");
    try (MasterGroup cluster =
            // Plaintext: this test speaks raw HTTP; TLS is TlsClusterTest's.
            MiniRaftfsCluster.builder()
                .masterSettings(settings)
                .tls(false)
                .build()
                .start(dir)
                .masters();
        MetaClient client = cluster.newClient()) {
      int firstLeader = cluster.awaitLeader();
      for (String node : List.of("dn-a", "dn-b")) {
        client.registerDataNode(node, "127.0.0.1:9", 1L << 30);
        for (String master : cluster.httpAddresses()) {
          // A master believes the node once it applied the registration: followers may lag.
          Await.until(
              Duration.ofSeconds(30), node + " heard by " + master, () -> heartbeat(master, node));
        }
      }

      WebDriver browser = startBrowser();
      try {
        // Served by the leader, which is about to die: the page must move to the others.
        browser.get("http://" + cluster.httpAddresses().get(firstLeader) + "/");
        Await.until(
            PAGE_TIMEOUT,
            "three masters and two data nodes on the page",
            () ->
                rowIds(browser, "masters").size() == 3 && rowIds(browser, "datanodes").size() == 2);
        // The page and the cluster agree on the leader (it may have moved since the start).
        String leaderId =
            Await.value(
                PAGE_TIMEOUT,
                "the page to show the current leader",
                () -> {
                  String shown = shownLeader(browser);
                  return shown != null && shown.equals(cluster.master(cluster.awaitLeader()).id())
                      ? shown
                      : null;
                });
        int leader = cluster.awaitLeader();
        assertEquals(leaderId, cluster.master(leader).id());
        assertEquals(List.of("dn-a", "dn-b"), rowIds(browser, "datanodes"));
        assertEquals(
            "true,true",
            js(
                browser,
                "return [...document.querySelectorAll('#datanodes tbody tr')]"
                    + ".map(r => r.dataset.alive).join()"));
        assertEquals(List.of(), scriptErrors(browser), "script errors");
        assertEquals(List.of(), severeConsoleEntries(browser), "console errors while healthy");

        cluster.stop(leader);
        String newLeaderId = cluster.master(cluster.awaitLeader()).id();
        assertNotEquals(leaderId, newLeaderId);
        assertEquals(
            newLeaderId,
            Await.value(
                PAGE_TIMEOUT,
                "the new leader on the page",
                () -> newLeaderId.equals(shownLeader(browser)) ? newLeaderId : null));
        assertEquals(
            "UNREACHABLE",
            js(
                browser,
                "return document.querySelector(\"#masters tr[data-id='"
                    + leaderId
                    + "']\").dataset.role"));
        String gap =
            (String) js(browser, "return document.getElementById('leaderless').textContent");
        assertTrue(gap.matches("[0-9.]+ s"), "time without a leader shown: " + gap);
        Await.until(
            PAGE_TIMEOUT,
            "the leader change among the page's events",
            () ->
                ((String) js(browser, "return document.getElementById('events').textContent"))
                    .contains(newLeaderId + " is leader"));
        assertEquals(List.of(), scriptErrors(browser), "script errors");
      } finally {
        browser.quit();
      }
    }
  }

  private WebDriver startBrowser() throws Exception {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }

  /** Runs in the page in one go: the page redraws its tables on every poll. */
  private static Object js(WebDriver browser, String script) {
    return ((JavascriptExecutor) browser).executeScript(script);
  }

  /** The data-id of every row of a table, sorted. */
  @SuppressWarnings("unchecked")
  private static List<String> rowIds(WebDriver browser, String table) {
    List<String> ids =
        (List<String>)
            js(
                browser,
                "return [...document.querySelectorAll('#"
                    + table
                    + " tbody tr')].map(r => r.dataset.id)");
    return ids.stream().sorted().collect(Collectors.toList());
  }

  /** The leader the page shows (it sets body[data-leader]), or null while it shows none. */
  private static String shownLeader(WebDriver browser) {
    String leader = (String) js(browser, "return document.body.dataset.leader || ''");
    return leader.isEmpty() ? null : leader;
  }

  @SuppressWarnings("unchecked")
  private static List<String> scriptErrors(WebDriver browser) {
    return (List<String>) js(browser, "return window.raftfsErrors;");
  }

  private static List<String> severeConsoleEntries(WebDriver browser) {
    return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .collect(Collectors.toList());
  }

  /** True if {@code master} believed the heartbeat. */
  private static boolean heartbeat(String master, String node) {
    Heartbeat heartbeat =
        Heartbeat.newBuilder()
            .setNodeId(node)
            .setHttpAddress("127.0.0.1:9")
            .setCapacityBytes(1L << 30)
            .setUsedBytes(1L << 28)
            .setFreeBytes(3L << 28)
            .setBlockCount(42)
            .build();
    try {
      HttpResponse<byte[]> response =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .build()
              .send(
                  HttpRequest.newBuilder(URI.create("http://" + master + "/v1/heartbeat"))
                      .header("Content-Type", "application/x-protobuf")
                      .POST(HttpRequest.BodyPublishers.ofByteArray(heartbeat.toByteArray()))
                      .build(),
                  HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, response.statusCode());
      return HeartbeatResponse.parseFrom(response.body()).getRegistered();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
