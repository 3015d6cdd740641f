package io.raftfs.auth;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 with one {@link Mac} per thread: {@code Mac.getInstance} walks the security providers
 * on every call, and every block request's token and every signed exchange needs one.
 */
final class HmacSha256 {
  private static final String ALGORITHM = "HmacSHA256";
  private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(HmacSha256::newMac);

  private HmacSha256() {}

  static byte[] of(byte[] key, byte[] data) {
    Mac mac = MAC.get();
    try {
      mac.init(new SecretKeySpec(key, ALGORITHM));
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("an HMAC takes any key", e);
    }
    return mac.doFinal(data);
  }

  private static Mac newMac() {
    try {
      return Mac.getInstance(ALGORITHM);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has " + ALGORITHM, e);
    }
  }
}
