package io.raftfs.cli;

import io.raftfs.client.FileSystemClient;
import io.raftfs.proto.FileStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "get",
    description = {
      "Download a file to a local file, or to standard output with -; with -R a directory",
      "and everything below it, many files at once. Every block is checked against its",
      "CRC32C; a local file appears only when complete. With -R a file that fails is",
      "reported and the rest go on."
    })
final class GetCommand extends ClientCommand {
  @Parameters(
      index = "0",
      paramLabel = "REMOTE",
      description = "File (or with -R directory) in the cluster.")
  String remote;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "LOCAL",
      description = "Local file or directory, or - for stdout. Default: the current directory.")
  String local = ".";

  @Option(
      names = {"-f", "--force"},
      description = "Overwrite an existing local file.")
  boolean force;

  @Mixin TreeOptions tree;

  @Override
  void checkArguments() {
    tree.check("get");
    if (tree.recursive && local.equals("-")) {
      throw new UsageException("get: -R writes a directory, not -");
    }
  }

  @Override
  void execute(FileSystemClient client) throws Exception {
    String path = remote(remote);
    String name = path.substring(path.lastIndexOf('/') + 1);
    if (local.equals("-")) {
      try (ProgressBar bar = ProgressBar.forCommand(root(), name)) {
        client.get(path, root().terminal.out(), bar);
      }
      return;
    }
    Path target = Path.of(local);
    if (Files.isDirectory(target) && !name.isEmpty()) {
      target = target.resolve(name);
    }
    if (tree.recursive) {
      FileStatus top = client.stat(path);
      if (top.getDirectory()) {
        getTree(client, top, target.toAbsolutePath().normalize());
        return;
      }
    }
    try (ProgressBar bar = ProgressBar.forCommand(root(), name)) {
      client.get(path, target, force, bar);
    }
  }

  private void getTree(FileSystemClient client, FileStatus top, Path base)
      throws InterruptedException {
    TreeTransfer transfer =
        new TreeTransfer("get", tree.parallelism(config), spec.commandLine().getErr());
    String topPath = top.getPath();
    // An explicit stack: a tree may be 2,048 levels deep.
    Deque<FileStatus> pending = new ArrayDeque<>();
    pending.push(top);
    while (!pending.isEmpty()) {
      FileStatus directory = pending.pop();
      String name = relative(topPath, directory.getPath());
      try {
        Path dir = localOf(base, name);
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
          throw new NotDirectoryException(dir.toString());
        }
        Files.createDirectories(dir);
        for (FileStatus entry : client.list(directory.getPath())) {
          if (entry.getDirectory()) {
            pending.push(entry);
            continue;
          }
          String file = relative(topPath, entry.getPath());
          Path target = localOf(base, file);
          transfer.add(
              file,
              entry.getLength(),
              progress -> client.get(entry.getPath(), target, force, progress));
        }
      } catch (IOException | RuntimeException e) {
        transfer.fail(name + "/", e);
      }
    }
    exit = tree.report(transfer.run(root()), out(), spec.commandLine().getErr());
  }

  /** {@code path} below {@code top}, without a leading slash; "." for the top itself. */
  private static String relative(String top, String path) {
    if (path.equals(top)) {
      return ".";
    }
    return path.substring(top.equals("/") ? 1 : top.length() + 1);
  }

  /** The local path of a remote name below the tree's top; never outside {@code base}. */
  private static Path localOf(Path base, String relative) throws IOException {
    Path local = base.resolve(relative).normalize();
    if (!local.startsWith(base)) {
      throw new IOException(relative + ": would be written outside " + base);
    }
    return local;
  }
}
