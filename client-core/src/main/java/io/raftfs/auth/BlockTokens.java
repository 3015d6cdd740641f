package io.raftfs.auth;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.raftfs.proto.BlockKey;
import io.raftfs.proto.BlockToken;
import io.raftfs.proto.SignedBlockToken;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Set;

/**
 * Block access tokens as they travel (docs/security.md): a serialized {@link BlockToken} and its
 * HMAC-SHA256 under a block key's secret, in a {@link SignedBlockToken}, base64url without padding
 * in the {@code X-Raftfs-Block-Token} header. The masters {@link #sign}; data nodes check with a
 * {@link BlockTokenVerifier}.
 */
public final class BlockTokens {
  /** What a token allows, as bits of {@link BlockToken#getOps()}. */
  public enum Op {
    READ(1),
    WRITE(2),
    /**
     * Undoing one's own upload: a chain's head deletes what its downstream stored of a failed PUT.
     */
    DELETE(4);

    private final int bit;

    Op(int bit) {
      this.bit = bit;
    }

    public int bit() {
      return bit;
    }

    public boolean allowedBy(int ops) {
      return (ops & bit) != 0;
    }

    /** The bitmask of {@code ops}. */
    public static int bits(Set<Op> ops) {
      return ops.stream().mapToInt(Op::bit).reduce(0, (a, b) -> a | b);
    }
  }

  /**
   * What the writer of a block may do: store it down its chain, and undo that if the chain fails.
   */
  public static final Set<Op> WRITER = Set.of(Op.WRITE, Op.DELETE);

  /** Refuses a header longer than this before decoding it (a chain of 16 long host names fits). */
  public static final int MAX_HEADER_CHARS = 8192;

  private BlockTokens() {}

  /** The header value for {@code token}, signed with {@code key} (whose id it must name). */
  public static String sign(BlockToken token, BlockKey key) {
    if (token.getKeyId() != key.getKeyId()) {
      throw new IllegalArgumentException(
          "token names key " + token.getKeyId() + ", signed with " + key.getKeyId());
    }
    byte[] fields = token.toByteArray();
    SignedBlockToken signed =
        SignedBlockToken.newBuilder()
            .setToken(ByteString.copyFrom(fields))
            .setMac(ByteString.copyFrom(mac(key, fields)))
            .build();
    return Base64.getUrlEncoder().withoutPadding().encodeToString(signed.toByteArray());
  }

  /**
   * Decodes a header value without checking its signature.
   *
   * @throws IllegalArgumentException saying why it is not a token
   */
  public static SignedBlockToken decode(String header) {
    if (header.length() > MAX_HEADER_CHARS) {
      throw new IllegalArgumentException("longer than " + MAX_HEADER_CHARS + " characters");
    }
    try {
      SignedBlockToken signed = SignedBlockToken.parseFrom(Base64.getUrlDecoder().decode(header));
      if (signed.getMac().size() != 32) {
        throw new IllegalArgumentException("no HMAC-SHA256 in it");
      }
      return signed;
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("not a signed block token");
    }
  }

  /** The token's fields; {@link IllegalArgumentException} if they do not parse. */
  public static BlockToken fields(SignedBlockToken signed) {
    try {
      return BlockToken.parseFrom(signed.getToken());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("the token's fields do not parse");
    }
  }

  /** Whether {@code signed} carries the HMAC of its fields under {@code key}. */
  public static boolean signedBy(SignedBlockToken signed, BlockKey key) {
    return MessageDigest.isEqual(
        mac(key, signed.getToken().toByteArray()), signed.getMac().toByteArray());
  }

  private static byte[] mac(BlockKey key, byte[] fields) {
    return HmacSha256.of(key.getSecret().toByteArray(), fields);
  }
}
