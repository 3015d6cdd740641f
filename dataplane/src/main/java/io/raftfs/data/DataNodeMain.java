package io.raftfs.data;

import io.raftfs.concurrent.CommonPool;
import io.raftfs.config.ConfigException;
import io.raftfs.data.config.DataNodeConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * The data node process.
 *
 * <pre>
 * java -jar raftfs-datanode.jar --config datanode.conf [--set key=value ...]
 * </pre>
 *
 * Exit codes: 0 after a clean SIGTERM, 2 for bad usage or config, 1 when the node cannot start
 * (port in use, data directory unusable).
 */
public final class DataNodeMain {
  static final int EXIT_OK = 0;
  static final int EXIT_START_FAILED = 1;
  static final int EXIT_USAGE = 2;

  /** On SIGTERM, uploads in progress get this long to finish. */
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

  private static final String USAGE =
      "usage: raftfs-datanode --config <datanode.conf> [--set key=value ...]";

  private DataNodeMain() {}

  /** A started node, or the exit code of a failed start. */
  record Started(DataNode node, int exitCode) {}

  public static void main(String[] args) throws InterruptedException {
    CommonPool.ensureShared();
    Started started = start(args, System.err);
    if (started.node() == null) {
      System.exit(started.exitCode());
    }
    DataNode node = started.node();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    node.close(SHUTDOWN_GRACE);
                  } catch (Exception e) {
                    System.err.println("raftfs-datanode: unclean stop: " + e.getMessage());
                  } finally {
                    stopped.countDown();
                  }
                },
                "datanode-shutdown"));
    stopped.await();
  }

  /** Parses, validates and starts; a failure is one line on {@code err} and an exit code. */
  static Started start(String[] args, PrintStream err) {
    DataNodeConfig config;
    try {
      config = DataNodeConfig.fromProperties(parse(args));
    } catch (ConfigException | IOException e) {
      err.println("raftfs-datanode: " + e.getMessage());
      return new Started(null, EXIT_USAGE);
    }
    try {
      return new Started(DataNode.start(config), EXIT_OK);
    } catch (Exception e) {
      err.println("raftfs-datanode: cannot start: " + e.getMessage());
      return new Started(null, EXIT_START_FAILED);
    }
  }

  static Properties parse(String[] args) throws IOException {
    Properties properties = new Properties();
    Properties overrides = new Properties();
    boolean haveConfig = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if ((arg.equals("--config") || arg.equals("--set")) && i + 1 == args.length) {
        throw new ConfigException(arg + " needs a value; " + USAGE);
      }
      switch (arg) {
        case "--config" -> {
          load(Path.of(args[++i]), properties);
          haveConfig = true;
        }
        case "--set" -> {
          String pair = args[++i];
          int eq = pair.indexOf('=');
          if (eq <= 0) {
            throw new ConfigException("--set expects key=value, got '" + pair + "'");
          }
          overrides.setProperty(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        default -> throw new ConfigException("unknown argument '" + arg + "'; " + USAGE);
      }
    }
    if (!haveConfig && overrides.isEmpty()) {
      throw new ConfigException(USAGE);
    }
    properties.putAll(overrides);
    return properties;
  }

  private static void load(Path file, Properties into) throws IOException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      into.load(reader);
    } catch (NoSuchFileException e) {
      throw new IOException("config file " + file + " not found", e);
    } catch (IOException e) {
      throw new IOException("cannot read config file " + file + ": " + e.getMessage(), e);
    }
  }
}
