package io.raftfs.auth;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import java.util.Set;

/**
 * A file holding one access key, {@code access.key=} and {@code secret.key=}, readable by its owner
 * only: the masters' superuser key, made with the cluster.
 *
 * <pre>{@code
 * CredentialsFile.create(dir.resolve("root.credentials"), AccessKey.generate());
 * AccessKey root = CredentialsFile.read(dir.resolve("root.credentials"));
 * }</pre>
 */
public final class CredentialsFile {
  static final String ACCESS_KEY = "access.key";
  static final String SECRET_KEY = "secret.key";
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private CredentialsFile() {}

  /**
   * Reads the key in {@code file}.
   *
   * @throws IOException if it cannot be read, lacks a key, or others may read it (as ssh refuses a
   *     private key others can read: the secret may already be out)
   */
  public static AccessKey read(Path file) throws IOException {
    PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    if (posix != null) {
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
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    }
    String id = properties.getProperty(ACCESS_KEY);
    String secret = properties.getProperty(SECRET_KEY);
    if (id == null || secret == null) {
      throw new IOException(file + " needs both " + ACCESS_KEY + "= and " + SECRET_KEY + "=");
    }
    try {
      return new AccessKey(id.strip(), secret.strip());
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes {@code key} to a new {@code file} that only its owner may read, and syncs it.
   *
   * @throws java.nio.file.FileAlreadyExistsException rather than replace a key
   */
  public static void create(Path file, AccessKey key) throws IOException {
    byte[] text =
        ("# raftfs access key: keep this file readable by its owner only\n"
                + ACCESS_KEY
                + '='
                + key.id()
                + '\n'
                + SECRET_KEY
                + '='
                + key.secret()
                + '\n')
            .getBytes(StandardCharsets.UTF_8);
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
      out.write(text);
      channel.force(true);
    }
  }
}
