package io.raftfs.auth;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files that hold secrets (access keys, the masters' user key): made readable by their owner only,
 * and refused when others may read them, as ssh refuses such a private key.
 */
public final class OwnerOnlyFiles {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private OwnerOnlyFiles() {}

  /**
   * @throws IOException if others may read {@code file} (the secret may already be out)
   */
  public static void requireOwnerOnly(Path file) throws IOException {
    PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    if (posix == null) {
      return;
    }
    Set<PosixFilePermission> permissions = posix.readAttributes().permissions();
    if (!OWNER_ONLY.containsAll(permissions)) {
      throw new IOException(
          file
              + " may be read by others ("
              + PosixFilePermissions.toString(permissions)
              + "):"
              + " chmod 600 it, and make a new key if others could read the secret");
    }
  }

  /**
   * Writes {@code content} to a new {@code file} that only its owner may read, and syncs it.
   *
   * @throws java.nio.file.FileAlreadyExistsException rather than replace a key
   */
  public static void create(Path file, byte[] content) throws IOException {
    boolean posix =
        Files.getFileAttributeView(file.toAbsolutePath().getParent(), PosixFileAttributeView.class)
            != null;
    if (posix) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } else {
      Files.createFile(file);
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
        OutputStream out = Channels.newOutputStream(channel)) {
      out.write(content);
      channel.force(true);
    }
  }
}
