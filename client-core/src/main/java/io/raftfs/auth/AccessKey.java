package io.raftfs.auth;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * An access key pair, as S3 and MinIO use: the id travels with every signed request, the secret
 * never leaves the two ends (it keys the signature).
 *
 * <pre>{@code
 * AccessKey key = AccessKey.generate();
 * RequestSigner signer = new RequestSigner(key, SigningScope.RAFTFS, Clock.systemUTC());
 * }</pre>
 *
 * @param id 16 to 128 letters and digits
 * @param secret 16 to 128 printable ASCII characters without spaces
 */
public record AccessKey(String id, String secret) {
  private static final char[] ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
  private static final char[] SECRET_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();

  /** Seeded at the first {@link #generate}: a client that only signs never needs it. */
  private static final class Random {
    static final SecureRandom SOURCE = new SecureRandom();
  }

  public AccessKey {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(secret, "secret");
    if (!validId(id)) {
      throw new IllegalArgumentException(
          "an access key id is 16 to 128 letters and digits, not " + printable(id));
    }
    if (!validSecret(secret)) {
      throw new IllegalArgumentException(
          "a secret key is 16 to 128 printable ASCII characters without spaces");
    }
  }

  /** A new key pair: a 20-character id and a 40-character secret (240 random bits), as AWS's. */
  public static AccessKey generate() {
    return new AccessKey("RF" + random(ID_ALPHABET, 18), random(SECRET_ALPHABET, 40));
  }

  /** True if {@code id} could name an access key. */
  public static boolean validId(String id) {
    return id.length() >= 16
        && id.length() <= 128
        && id.chars().allMatch(c -> c < 128 && Character.isLetterOrDigit(c));
  }

  private static boolean validSecret(String secret) {
    return secret.length() >= 16
        && secret.length() <= 128
        && secret.chars().allMatch(c -> c > ' ' && c < 127);
  }

  private static String random(char[] alphabet, int length) {
    char[] chars = new char[length];
    for (int i = 0; i < length; i++) {
      chars[i] = alphabet[Random.SOURCE.nextInt(alphabet.length)];
    }
    return new String(chars);
  }

  private static String printable(String text) {
    String cut = text.length() > 40 ? text.substring(0, 40) + "..." : text;
    return '"' + cut.replaceAll("[^\\x20-\\x7e]", "?") + '"';
  }

  /** Never prints the secret. */
  @Override
  public String toString() {
    return "AccessKey[" + id + "]";
  }
}
