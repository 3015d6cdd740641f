package io.raftfs.meta.users;

import io.raftfs.auth.OwnerOnlyFiles;
import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Properties;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The masters' user key: seals the users' secret keys for the replicated state, so that a stolen
 * snapshot, log segment or dedup answer does not reveal them. SigV4 needs the secret itself to
 * verify a signature (an HMAC keyed by it), so the masters keep it encrypted rather than hashed.
 *
 * <p>AES-256-GCM with a random 12-byte nonce per sealing and the user's name as associated data, so
 * a sealed secret moved to another user's record does not open. The key comes from a file (mode
 * 600, {@code user.key=} and 32 bytes in base64), the same on every master and never in the log or
 * a snapshot: {@code deploy/cluster up} and {@code MiniRaftfsCluster} make it beside the root
 * credentials.
 *
 * <pre>{@code
 * UserKey key = UserKey.read(Path.of("run/cluster/user.key"));
 * byte[] sealed = key.seal("alice", secret);
 * String again = key.open("alice", sealed);
 * }</pre>
 */
public final class UserKey {
  static final String PROPERTY = "user.key";
  private static final int KEY_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  private UserKey(byte[] key) {
    this.key = new SecretKeySpec(key, "AES");
  }

  /** A key of exactly 32 bytes. */
  public static UserKey of(byte[] key) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          "a user key is " + KEY_BYTES + " bytes, not " + key.length);
    }
    return new UserKey(key.clone());
  }

  /**
   * Reads the key in {@code file}.
   *
   * @throws IOException if it cannot be read, holds no 32-byte key, or others may read it
   */
  public static UserKey read(Path file) throws IOException {
    OwnerOnlyFiles.requireOwnerOnly(file);
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    }
    String text = properties.getProperty(PROPERTY);
    byte[] key;
    try {
      key = text == null ? new byte[0] : Base64.getDecoder().decode(text.strip());
    } catch (IllegalArgumentException e) {
      key = new byte[0];
    }
    if (key.length != KEY_BYTES) {
      throw new IOException(
          file + " needs " + PROPERTY + "= and " + KEY_BYTES + " random bytes in base64");
    }
    return new UserKey(key);
  }

  /**
   * Writes a new random key to a new {@code file} that only its owner may read.
   *
   * @throws java.nio.file.FileAlreadyExistsException rather than replace a key
   */
  public static void create(Path file) throws IOException {
    byte[] key = new byte[KEY_BYTES];
    RANDOM.nextBytes(key);
    String text =
        "# raftfs masters' user key: the same on every master, readable by its owner only\n"
            + PROPERTY
            + '='
            + Base64.getEncoder().encodeToString(key)
            + '\n';
    OwnerOnlyFiles.create(file, text.getBytes(StandardCharsets.UTF_8));
  }

  /** The nonce, then the ciphertext of {@code secret} and its tag. */
  public byte[] seal(String userName, String secret) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, userName, nonce);
      byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every JDK", e);
    }
  }

  /**
   * The secret {@link #seal} sealed for {@code userName}.
   *
   * @throws GeneralSecurityException if it was sealed under another key or for another user, or was
   *     changed
   */
  public String open(String userName, byte[] sealed) throws GeneralSecurityException {
    if (sealed.length <= NONCE_BYTES) {
      throw new GeneralSecurityException("sealed secret too short");
    }
    Cipher cipher =
        cipher(Cipher.DECRYPT_MODE, userName, Arrays.copyOfRange(sealed, 0, NONCE_BYTES));
    byte[] secret = cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
    return new String(secret, StandardCharsets.UTF_8);
  }

  private Cipher cipher(int mode, String userName, byte[] nonce) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
    cipher.updateAAD(userName.getBytes(StandardCharsets.UTF_8));
    return cipher;
  }

  /** Never prints the key. */
  @Override
  public String toString() {
    return "UserKey[AES-256]";
  }
}
