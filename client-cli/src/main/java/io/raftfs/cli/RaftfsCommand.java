package io.raftfs.cli;

import io.raftfs.client.config.ClientConfig;
import io.raftfs.client.config.ClientConfigKeys;
import io.raftfs.concurrent.CommonPool;
import io.raftfs.config.ConfigException;
import io.raftfs.config.ConfigTypes;
import io.raftfs.protocol.OneLine;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code raftfs} command. It owns the options every verb shares and turns every failure into
 * one line on stderr and an {@link ExitCode}; stack traces only with {@code --verbose}.
 */
@Command(
    name = "raftfs",
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    version = "raftfs 0.1.0",
    description = "Work with files in a raftfs cluster.",
    subcommands = {
      PutCommand.class,
      GetCommand.class,
      CatCommand.class,
      ListCommand.class,
      StatCommand.class,
      MkdirCommand.class,
      RemoveCommand.class,
      MoveCommand.class,
      ChmodCommand.class,
      ChownCommand.class,
      DiskUsageCommand.class,
      FsckCommand.class,
      ClusterCommand.class,
      AdminCommand.class
    },
    footer = "%nRemote paths are absolute; a relative one is taken from the root (/).")
public final class RaftfsCommand {
  static final String MASTERS_ENV = "RAFTFS_MASTERS";
  static final String MASTERS_KEY = "raftfs.masters";
  static final String ACCESS_KEY_ENV = "RAFTFS_ACCESS_KEY";
  static final String SECRET_KEY_ENV = "RAFTFS_SECRET_KEY";
  static final String CA_FILE_ENV = "RAFTFS_CA_FILE";
  static final String CRL_FILE_ENV = "RAFTFS_CRL_FILE";

  @Option(
      names = "--masters",
      scope = ScopeType.INHERIT,
      paramLabel = "HOST:PORT[,...]",
      description =
          "HTTP addresses of the masters. Default: $"
              + MASTERS_ENV
              + ", else "
              + MASTERS_KEY
              + " in the config file.")
  String masters;

  @Option(
      names = "--conf",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description =
          "Client config file (Java properties; keys in docs/configuration.md)."
              + " Default: ~/.raftfs/raftfs.conf")
  Path conf;

  @Option(
      names = "--timeout",
      scope = ScopeType.INHERIT,
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "How long a metadata call waits for a leader (e.g. 500ms, 30s). Default: "
              + "raftfs.client.meta.call.deadline.ms in the config file, else 30s")
  Duration timeout;

  @Option(
      names = {"-q", "--quiet"},
      scope = ScopeType.INHERIT,
      description = "No progress bars.")
  boolean quiet;

  @Option(
      names = {"-v", "--verbose"},
      scope = ScopeType.INHERIT,
      description = "Print stack traces of errors.")
  boolean verbose;

  final Terminal terminal;

  RaftfsCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  public static void main(String[] args) {
    CommonPool.ensureShared();
    System.exit(run(Terminal.system(), args));
  }

  /** Runs one command line and returns its exit status. */
  static int run(Terminal terminal, String... args) {
    RaftfsCommand root = new RaftfsCommand(terminal);
    CommandLine cli = new CommandLine(root);
    cli.setOut(new PrintWriter(terminal.out(), true));
    cli.setErr(new PrintWriter(terminal.err(), true));
    cli.setExecutionExceptionHandler(
        (error, failed, parsed) -> root.report(failed, error, ExitCode.of(error)));
    cli.setParameterExceptionHandler(
        (error, arguments) -> root.report(error.getCommandLine(), error, ExitCode.USAGE));
    documentExitCodes(cli);
    int status = cli.execute(args);
    terminal.out().flush();
    return status;
  }

  /**
   * The client settings of the config file, if there is one, with {@code --timeout} and the key
   * pair in the environment applied. Keys are never taken from the command line, where {@code ps}
   * shows them.
   *
   * @throws UsageException naming the file and the first bad or unknown key
   */
  ClientConfig clientConfig() {
    Path file = configFile();
    ClientConfig config;
    try {
      config =
          conf == null && !Files.exists(file)
              ? ClientConfig.DEFAULTS
              : ClientConfig.fromProperties(load(file));
    } catch (ConfigException e) {
      throw new UsageException(file + ": " + e.getMessage());
    }
    ClientConfig.Builder builder = config.toBuilder();
    if (timeout != null) {
      builder.set(ClientConfigKeys.Meta.CALL_DEADLINE, timeout);
    }
    String accessKey = terminal.env().get(ACCESS_KEY_ENV);
    String secretKey = terminal.env().get(SECRET_KEY_ENV);
    if ((accessKey == null) != (secretKey == null)) {
      throw new UsageException(
          ACCESS_KEY_ENV + " and " + SECRET_KEY_ENV + " go together: set both");
    }
    if (accessKey != null) {
      builder.set(ClientConfigKeys.Auth.ACCESS_KEY.name(), accessKey);
      builder.set(ClientConfigKeys.Auth.SECRET_KEY.name(), secretKey);
    }
    String caFile = terminal.env().get(CA_FILE_ENV);
    if (caFile != null) {
      builder.set(ClientConfigKeys.Tls.CA_FILE.name(), caFile);
    }
    String crlFile = terminal.env().get(CRL_FILE_ENV);
    if (crlFile != null) {
      builder.set(ClientConfigKeys.Tls.CRL_FILE.name(), crlFile);
    }
    try {
      return builder.build();
    } catch (ConfigException e) {
      String source =
          e.getMessage().startsWith(ClientConfigKeys.Tls.CA_FILE.name()) && caFile != null
              ? CA_FILE_ENV
              : e.getMessage().startsWith(ClientConfigKeys.Tls.CRL_FILE.name()) && crlFile != null
                  ? CRL_FILE_ENV
                  : accessKey != null ? ACCESS_KEY_ENV + "/" + SECRET_KEY_ENV : file.toString();
      throw new UsageException(source + ": " + e.getMessage());
    }
  }

  /** The master addresses from --masters, else the environment, else {@code config}. */
  List<String> masterAddresses(ClientConfig config) {
    String list = masters != null ? masters : terminal.env().get(MASTERS_ENV);
    List<String> addresses;
    try {
      // The config file's raftfs.masters is checked the same way when it is read.
      addresses = list == null ? config.masters() : ConfigTypes.HOST_PORTS.parse(list);
    } catch (IllegalArgumentException e) {
      throw new UsageException(
          (masters != null ? "--masters" : MASTERS_ENV) + ": " + e.getMessage());
    }
    if (addresses.isEmpty()) {
      throw new UsageException(
          "no masters configured: use --masters HOST:PORT,..., set "
              + MASTERS_ENV
              + ", or put "
              + MASTERS_KEY
              + " in "
              + configFile());
    }
    return addresses;
  }

  private static Properties load(Path file) {
    Properties properties = new Properties();
    try (var reader = Files.newBufferedReader(file)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new UsageException(file + ": cannot read config file: " + ExitCode.describe(e));
    }
    return properties;
  }

  private Path configFile() {
    return conf != null ? conf : terminal.home().resolve(".raftfs").resolve("raftfs.conf");
  }

  private int report(CommandLine failed, Exception error, ExitCode exit) {
    PrintWriter err = failed.getErr();
    if (verbose) {
      error.printStackTrace(err);
    }
    // The message may carry a server's text, or a path with control characters: one safe line.
    err.println("raftfs: " + OneLine.of(ExitCode.describe(error), OneLine.MAX_CHARS));
    if (error instanceof CommandLine.ParameterException) {
      err.println("Try '" + failed.getCommandSpec().qualifiedName() + " --help' for more.");
    } else if (exit == ExitCode.FAILURE && !verbose && error instanceof RuntimeException) {
      err.println("raftfs: (an internal error; --verbose prints its stack trace)");
    }
    err.flush();
    return exit.code;
  }

  private static void documentExitCodes(CommandLine cli) {
    cli.getCommandSpec()
        .usageMessage()
        .exitCodeListHeading("%nExit codes:%n")
        .exitCodeList(ExitCode.table());
    cli.getSubcommands().values().forEach(RaftfsCommand::documentExitCodes);
  }

  /** Converts {@code --timeout} values. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return Durations.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
