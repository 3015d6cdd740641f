package io.raftfs.cli;

import io.raftfs.client.FileSystemClient;
import io.raftfs.client.PutOptions;
import io.raftfs.client.meta.PathNotFoundException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "put",
    description = {
      "Upload a local file, or standard input with -, to the cluster; with -R a directory",
      "and everything below it, many files at once. A file appears only once every block",
      "is stored on all its replicas; with -R a file that fails is reported and the rest go on."
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

  @Mixin TreeOptions tree;

  private PutOptions options;

  @Override
  void checkArguments() {
    try {
      options = new PutOptions(replication, blockSize, force);
    } catch (IllegalArgumentException e) {
      throw new UsageException("put: " + e.getMessage());
    }
    tree.check("put");
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
      if (!tree.recursive) {
        throw new UsageException(local + ": Is a directory (put -R uploads a tree)");
      }
      putTree(client, file.toAbsolutePath().normalize());
      return;
    }
    String target = intoDirectory(client, remote(remote), file.getFileName().toString());
    try (ProgressBar bar = ProgressBar.forCommand(root(), file.getFileName().toString())) {
      client.put(file, target, options, bar);
    }
  }

  private void putTree(FileSystemClient client, Path dir) throws IOException, InterruptedException {
    Path name = dir.getFileName();
    String top =
        name == null ? remote(remote) : intoDirectory(client, remote(remote), name.toString());
    TreeTransfer transfer =
        new TreeTransfer("put", tree.parallelism(config), spec.commandLine().getErr());
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path local, BasicFileAttributes attributes) {
            try {
              client.mkdir(remoteOf(local), true);
              return FileVisitResult.CONTINUE;
            } catch (RuntimeException e) {
              transfer.fail(relative(local) + "/", e);
              return FileVisitResult.SKIP_SUBTREE;
            }
          }

          @Override
          public FileVisitResult visitFile(Path local, BasicFileAttributes attributes) {
            String target = remoteOf(local);
            try {
              // A symbolic link counts as the file it points to; a link to a directory is not
              // followed (no cycles).
              if (!Files.isRegularFile(local)) {
                throw new IOException(
                    local + ": not a regular file (links to directories are not followed)");
              }
              transfer.add(
                  relative(local),
                  Files.size(local),
                  progress -> client.put(local, target, options, progress));
            } catch (IOException e) {
              transfer.fail(relative(local), e);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path local, IOException error) {
            transfer.fail(relative(local), error);
            return FileVisitResult.CONTINUE;
          }

          private String relative(Path local) {
            return local.equals(dir) ? "." : dir.relativize(local).toString();
          }

          private String remoteOf(Path local) {
            StringBuilder path = new StringBuilder(top);
            for (Path segment : dir.relativize(local)) {
              if (!segment.toString().isEmpty()) {
                path.append(path.charAt(path.length() - 1) == '/' ? "" : "/").append(segment);
              }
            }
            return path.toString();
          }
        });
    exit = tree.report(transfer.run(root()), out(), spec.commandLine().getErr());
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
