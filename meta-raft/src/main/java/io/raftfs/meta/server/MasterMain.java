package io.raftfs.meta.server;

import io.raftfs.concurrent.CommonPool;
import io.raftfs.meta.config.MasterConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * {@code raftfs-master --config master.conf [--set key=value ...]}: runs one master until SIGTERM.
 * Configuration errors and unusable ports or directories end it with one line on stderr and exit
 * code 2 (configuration) or 1 (start-up).
 */
public final class MasterMain {
  static final int EXIT_CONFIG = 2;
  static final int EXIT_STARTUP = 1;

  private MasterMain() {}

  public static void main(String[] args) {
    CommonPool.ensureShared();
    Properties props;
    MasterConfig config;
    try {
      props = parseArgs(args);
      config = MasterConfig.from(props);
    } catch (IllegalArgumentException | IOException e) {
      fail(System.err, EXIT_CONFIG, e.getMessage());
      return;
    }
    MasterServer master;
    try {
      checkStorageDir(config.storageDir());
      master = MasterServer.start(config);
    } catch (IOException | RuntimeException e) {
      fail(System.err, EXIT_STARTUP, "cannot start master " + config.id() + ": " + describe(e));
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    master.close();
                  } catch (IOException e) {
                    System.err.println("raftfs-master: error while stopping: " + e.getMessage());
                  }
                  stopped.countDown();
                },
                "master-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static Properties parseArgs(String[] args) throws IOException {
    Properties props = new Properties();
    Properties overrides = new Properties();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if ((arg.equals("--config") || arg.equals("--set")) && i + 1 == args.length) {
        throw new IllegalArgumentException(arg + " needs a value");
      }
      switch (arg) {
        case "--config" -> {
          Path file = Path.of(args[++i]);
          try (InputStream in = Files.newInputStream(file)) {
            props.load(in);
          } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("config file " + file + " does not exist");
          }
        }
        case "--set" -> {
          String[] keyValue = args[++i].split("=", 2);
          if (keyValue.length != 2) {
            throw new IllegalArgumentException("--set needs key=value, not " + args[i]);
          }
          overrides.setProperty(keyValue[0].trim(), keyValue[1].trim());
        }
        case "-h", "--help" -> {
          System.out.println(
              "usage: raftfs-master --config master.conf [--set key=value ...]\n"
                  + "Keys are listed with their defaults in conf/master.conf.");
          System.exit(0);
        }
        default -> throw new IllegalArgumentException("unknown argument " + arg);
      }
    }
    props.putAll(overrides);
    return props;
  }

  private static void checkStorageDir(Path dir) throws IOException {
    Files.createDirectories(dir);
    if (!Files.isWritable(dir)) {
      throw new IOException("storage directory " + dir + " is not writable");
    }
  }

  private static String describe(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof BindException) {
        return "port already in use (" + cause.getMessage() + ")";
      }
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  private static void fail(PrintStream err, int code, String message) {
    err.println("raftfs-master: " + message);
    System.exit(code);
  }
}
