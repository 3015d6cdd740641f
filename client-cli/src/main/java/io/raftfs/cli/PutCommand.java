package io.raftfs.cli;

import io.raftfs.client.FileSystemClient;
import io.raftfs.client.PutOptions;
import io.raftfs.client.meta.PathNotFoundException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "put",
    description = {
      "Upload a local file, or standard input with -, to the cluster.",
      "The file appears only once every block is stored on all its replicas."
    })
final class PutCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "LOCAL", description = "Local file, or - for stdin.")
  String local;

  @Parameters(
      index = "1",
      paramLabel = "REMOTE",
      description = "Destination path; into an existing directory under the local file's name.")
  String remote;

  @Option(
      names = {"-r", "--replication"},
      paramLabel = "N",
      description = "Copies of every block, 1..16. Default: ${DEFAULT-VALUE}")
  int replication = PutOptions.DEFAULT_REPLICATION;

  @Option(
      names = "--block-size",
      paramLabel = "SIZE",
      converter = SizeConverter.class,
      description = {
        "Block size, e.g. 8m, 64m, 1g: at least 64k, and within the masters'",
        "raftfs.master.block-size.min (1m by default) and .max (1g). Default: 64m"
      })
  long blockSize = PutOptions.DEFAULT_BLOCK_SIZE;

  @Option(
      names = {"-f", "--force"},
      description = "Overwrite an existing file.")
  boolean force;

  private PutOptions options;

  @Override
  void checkArguments() {
    try {
      options = new PutOptions(replication, blockSize, force);
    } catch (IllegalArgumentException e) {
      throw new UsageException("put: " + e.getMessage());
    }
  }

  @Override
  void execute(FileSystemClient client) throws Exception {
    if (local.equals("-")) {
      try (ProgressBar bar = ProgressBar.forCommand(root(), "stdin")) {
        client.put(root().terminal.in(), remote(remote), options, bar);
      }
      return;
    }
    Path file = Path.of(local);
    if (!Files.exists(file)) {
      throw new NoSuchFileException(local);
    }
    if (Files.isDirectory(file)) {
      throw new UsageException(local + ": Is a directory (put uploads one file)");
    }
    String target = intoDirectory(client, remote(remote), file.getFileName().toString());
    try (ProgressBar bar = ProgressBar.forCommand(root(), file.getFileName().toString())) {
      client.put(file, target, options, bar);
    }
  }

  /** {@code dir/name} when {@code path} is an existing directory, else {@code path}. */
  private static String intoDirectory(FileSystemClient client, String path, String name) {
    try {
      if (client.stat(path).getDirectory()) {
        return path.endsWith("/") ? path + name : path + "/" + name;
      }
    } catch (PathNotFoundException e) {
      // a new file
    }
    return path;
  }
}
