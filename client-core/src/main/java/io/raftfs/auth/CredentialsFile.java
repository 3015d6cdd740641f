package io.raftfs.auth;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

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

  private CredentialsFile() {}

  /**
   * Reads the key in {@code file}.
   *
   * @throws IOException if it cannot be read, lacks a key, or others may read it (as ssh refuses a
   *     private key others can read: the secret may already be out)
   */
  public static AccessKey read(Path file) throws IOException {
    OwnerOnlyFiles.requireOwnerOnly(file);
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
    OwnerOnlyFiles.create(file, text);
  }
}
