package io.raftfs.s3;

import io.raftfs.config.ConfigException;
import io.raftfs.s3.config.S3GatewayConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * The S3 gateway process.
 *
 * <pre>
 * raftfs-s3 --config s3.conf
 * </pre>
 *
 * Exit codes: 0 after a clean SIGTERM, 2 for bad usage or config, 1 when it cannot start (port in
 * use).
 */
public final class S3GatewayMain {
  static final int EXIT_OK = 0;
  static final int EXIT_START_FAILED = 1;
  static final int EXIT_USAGE = 2;

  private static final String USAGE = "usage: raftfs-s3 --config <s3.conf>";

  private S3GatewayMain() {}

  /** A started gateway, or the exit code of a failed start. */
  record Started(S3Gateway gateway, int exitCode) {}

  public static void main(String[] args) throws InterruptedException {
    Started started = start(args, System.err);
    if (started.gateway() == null) {
      System.exit(started.exitCode());
    }
    S3Gateway gateway = started.gateway();
    System.out.println("raftfs-s3: serving S3 on port " + gateway.port());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  gateway.close();
                  stopped.countDown();
                },
                "s3-shutdown"));
    stopped.await();
  }

  /** Parses, validates and starts; a failure is one line on {@code err} and an exit code. */
  static Started start(String[] args, PrintStream err) {
    S3GatewayConfig config;
    try {
      config = S3GatewayConfig.fromProperties(parse(args));
    } catch (ConfigException | IOException e) {
      err.println("raftfs-s3: " + e.getMessage());
      return new Started(null, EXIT_USAGE);
    }
    try {
      return new Started(S3Gateway.start(config), EXIT_OK);
    } catch (Exception e) {
      err.println("raftfs-s3: cannot start: " + e.getMessage());
      return new Started(null, EXIT_START_FAILED);
    }
  }

  static Properties parse(String[] args) throws IOException {
    if (args.length != 2 || !args[0].equals("--config")) {
      throw new ConfigException(USAGE);
    }
    Path file = Path.of(args[1]);
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (NoSuchFileException e) {
      throw new IOException("config file " + file + " not found", e);
    }
    return properties;
  }
}
